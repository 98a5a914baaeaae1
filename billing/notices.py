"""Telling a family about its invoice or credit note: an inbox message and its e-mail,
once per document (`notified_at` is set in the same transaction as the message)."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Family
from messaging.models import Kind
from messaging.services import notify
from portail.lib.formats import euros, long_date, month_label

from .models import Invoice

BATCH = 200


def invoice_link(invoice: Invoice) -> str:
    return f"/factures/{invoice.pk}/"


def _message(invoice: Invoice) -> tuple[str, str]:
    period = month_label(invoice.period).lower()
    if invoice.is_credit_note:
        return (
            f"Avoir {invoice.number} sur votre facture de {period}",
            f"Un avoir de {euros(invoice.total)} a été établi sur votre facture de {period}"
            f"{f' (motif : {invoice.reason})' if invoice.reason else ''}.\n"
            "Il est déduit de ce que vous devez à la régie et figure sur votre relevé des "
            "opérations.",
        )
    regie = invoice.regie
    return (
        f"Votre facture de {period} : {euros(invoice.total)}",
        f"Votre facture n° {invoice.number} ({regie.name}, {period}) est disponible : "
        f"{euros(invoice.total)} à régler avant le {long_date(invoice.due_date)}.\n"
        "Vous pouvez la payer en ligne sur le portail, rubrique « Factures », par chèque à "
        f"l'ordre de « {regie.payee} » (n° {invoice.number} au dos) ou en espèces à la régie.",
    )


def notify_invoice(invoice: Invoice, *, at: datetime | None = None) -> bool:
    """Tell the family, unless it was told already (then nothing happens)."""
    at = at or timezone.now()
    with transaction.atomic():
        if not Invoice.objects.filter(pk=invoice.pk, notified_at__isnull=True).update(
            notified_at=at
        ):
            return False
        subject, body = _message(invoice)
        notify(
            invoice.family,
            Kind.INVOICE,
            subject,
            body,
            link=invoice_link(invoice),
            link_label="Voir l'avoir" if invoice.is_credit_note else "Voir la facture",
            sender=invoice.regie.name,
            at=at,
        )
    invoice.notified_at = at
    return True


def notify_pending(*, at: datetime | None = None) -> int:
    """Tell the families of every document whose PDF is ready and who were not told yet."""
    told = 0
    after = 0
    while True:
        batch = list(
            Invoice.objects.filter(notified_at__isnull=True, pk__gt=after)
            .exclude(pdf="")
            .select_related("regie", "family")
            .prefetch_related(*(f"family__{name}" for name in Family.notification_prefetch))
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return told
        for invoice in batch:
            told += notify_invoice(invoice, at=at)
        after = batch[-1].pk
