"""Payment reminders: a family whose invoice is past due is reminded at each step (7, then
30 days after the due date), once per step, by an inbox message and its e-mail.

Only invoices that still ask for money are reminded (total − payments − credit notes > 0).
An invoice found late (say 40 days past due the first time the command runs) gets the
latest step it reached, not every step at once.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from accounts.models import Family
from messaging.models import Kind
from messaging.services import notify
from portail.lib.formats import euros, long_date, month_label

from .models import Invoice, PaymentReminder
from .notices import invoice_link
from .queries import outstanding

STEPS = (7, 30)


@dataclass(frozen=True)
class Reminder:
    invoice: Invoice
    step: int


def due_reminders(*, today: date, steps: tuple[int, ...] = STEPS) -> list[Reminder]:
    """The reminders owed today: each unpaid invoice at the latest step it reached, unless
    that step (or a later one) was sent already."""
    last_sent = (
        PaymentReminder.objects.filter(invoice=OuterRef("pk"))
        .values("invoice")
        .annotate(m=Max("step"))
        .values("m")
    )
    invoices = (
        outstanding(Invoice.objects.filter(due_date__lte=today - timedelta(days=min(steps))))
        .annotate(last_step=Subquery(last_sent))
        .select_related("regie", "family")
        .prefetch_related(*(f"family__{name}" for name in Family.notification_prefetch))
        .order_by("due_date", "pk")
    )
    owed = []
    for invoice in invoices:
        step = max(s for s in steps if invoice.due_date + timedelta(days=s) <= today)
        if invoice.last_step is None or invoice.last_step < step:
            owed.append(Reminder(invoice, step))
    return owed


def _message(invoice: Invoice, *, first: bool, last: bool) -> tuple[str, str]:
    period = month_label(invoice.period).lower()
    title = "Rappel" if first else "Nouveau rappel"
    body = (
        f"Sauf erreur de notre part, votre facture n° {invoice.number} ({period}), à régler "
        f"avant le {long_date(invoice.due_date)}, n'est pas entièrement payée : il reste "
        f"{euros(invoice.remaining)} à régler.\n"
        "Vous pouvez la payer en ligne sur le portail, rubrique « Factures », par chèque à "
        f"l'ordre de « {invoice.regie.payee} » ou en espèces à la régie. Si vous venez de la "
        "régler, ne tenez pas compte de ce message."
    )
    if last:
        body += (
            "\nSans règlement de votre part, le recouvrement sera confié au comptable public "
            "(Trésor public)."
        )
    return f"{title} : facture {invoice.number} à régler", body


def send_one(reminder: Reminder, *, at: datetime, last: bool = False) -> bool:
    """Record and send one reminder; False if another run sent it already."""
    with transaction.atomic():
        _, created = PaymentReminder.objects.get_or_create(
            invoice=reminder.invoice, step=reminder.step, defaults={"sent_at": at}
        )
        if not created:
            return False
        first = reminder.invoice.last_step is None
        subject, body = _message(reminder.invoice, first=first, last=last)
        notify(
            reminder.invoice.family,
            Kind.REMINDER,
            subject,
            body,
            link=invoice_link(reminder.invoice),
            link_label="Voir et payer la facture",
            sender=reminder.invoice.regie.name,
        )
    return True


def send_payment_reminders(
    *, at: datetime | None = None, steps: tuple[int, ...] = STEPS, dry_run: bool = False
) -> list[Reminder]:
    """Send the reminders owed now; returns those sent (or that would be, with dry_run)."""
    at = at or timezone.now()
    owed = due_reminders(today=timezone.localdate(at), steps=steps)
    if dry_run:
        return owed
    return [r for r in owed if send_one(r, at=at, last=r.step == max(steps))]
