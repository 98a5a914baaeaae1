"""What the treasury reads, as CSV files French Excel opens as is (UTF-8 with BOM, « ; »
between columns, decimal commas): a month's invoices and credit notes, and a régie's
payments journal of a month (`payments_journal`, also shown on a page)."""

import csv
import io
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone

from .invoicing import month_bounds
from .models import ZERO, Allocation, Method, Payment, Regie
from .statements import midnight

HEADER = [
    "Numéro",
    "Type",
    "Date",
    "Mois facturé",
    "Famille",
    "Payeur",
    "Régie",
    "Montant",
    "Payé",
    "Reste à payer",
]


def _cell(value: str) -> str:
    """Text that Excel could take for a formula is quoted: a name is never run."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def invoices_csv(invoices: models.QuerySet) -> bytes:
    """`invoices` carries billing.queries' amounts (`with_amounts`)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    rows = invoices.select_related("family", "regie").order_by("regie__name", "year", "sequence")
    for invoice in rows.iterator(chunk_size=2000):
        credit_note = invoice.is_credit_note
        writer.writerow(
            [
                invoice.number,
                invoice.get_kind_display(),
                f"{timezone.localdate(invoice.issued_at):%d/%m/%Y}",
                f"{invoice.period:%m/%Y}",
                _cell(invoice.family.name),
                _cell(invoice.payer_name),
                _cell(invoice.regie.name),
                _amount(-invoice.total if credit_note else invoice.total),
                "" if credit_note else _amount(invoice.paid),
                "" if credit_note else _amount(invoice.remaining),
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# --- the payments journal of a régie's month ------------------------------------------------


@dataclass(frozen=True)
class JournalGroup:
    method: str
    label: str
    payments: list  # Payment, with `settled` (the invoice numbers)
    total: Decimal


@dataclass(frozen=True)
class Journal:
    regie: Regie
    month: date
    groups: list[JournalGroup]
    cancellations: list  # Payment cancelled in the month (whenever received), with `settled`

    @property
    def total(self) -> Decimal:
        return sum((group.total for group in self.groups), ZERO)

    @property
    def count(self) -> int:
        return sum(len(group.payments) for group in self.groups)

    @property
    def cancelled_total(self) -> Decimal:
        return sum((payment.amount for payment in self.cancellations), ZERO)

    @property
    def net(self) -> Decimal:
        """Received in the month, less what was cancelled in it (bounced cheques…)."""
        return self.total - self.cancelled_total


def payments_journal(*, regie: Regie, month: date) -> Journal:
    """The payments the régie received in a month (Paris time), by method, and those it
    cancelled in the month: two queries."""
    start, end = month_bounds(month)
    since, until = midnight(start), midnight(end + timedelta(days=1))
    received = Q(received_at__gte=since, received_at__lt=until)
    cancelled = Q(cancelled_at__gte=since, cancelled_at__lt=until)
    payments = (
        Payment.objects.filter(received | cancelled, regie=regie)
        .select_related("family")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.select_related("invoice").order_by("invoice__number"),
            )
        )
        .order_by("received_at", "receipt_number")
    )
    by_method: dict[str, list] = {method: [] for method in Method.values}
    cancellations = []
    for payment in payments:
        payment.settled = [a.invoice.number for a in payment.allocations.all()]
        if since <= payment.received_at < until:
            by_method[payment.method].append(payment)
        if payment.cancelled_at and since <= payment.cancelled_at < until:
            cancellations.append(payment)
    groups = [
        JournalGroup(
            method=method,
            label=Method(method).label,
            payments=items,
            total=sum((p.amount for p in items), ZERO),
        )
        for method, items in by_method.items()
        if items
    ]
    cancellations.sort(key=lambda payment: (payment.cancelled_at, payment.receipt_number))
    return Journal(regie=regie, month=start, groups=groups, cancellations=cancellations)


JOURNAL_HEADER = [
    "Mode de paiement",
    "N° de reçu",
    "Date",
    "Heure",
    "Famille",
    "Référence",
    "Banque",
    "Montant",
    "Factures réglées",
]


def journal_csv(journal: Journal) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(JOURNAL_HEADER)
    for group in journal.groups:
        for payment in group.payments:
            received = timezone.localtime(payment.received_at)
            writer.writerow(
                [
                    group.label,
                    payment.receipt_number,
                    f"{received:%d/%m/%Y}",
                    f"{received:%H:%M}",
                    _cell(payment.family.name),
                    _cell(payment.reference),
                    _cell(payment.bank),
                    _amount(payment.amount),
                    " ".join(payment.settled),
                ]
            )
    writer.writerow([])
    for group in journal.groups:
        writer.writerow(
            [
                f"Total {group.label}",
                len(group.payments),
                "",
                "",
                "",
                "",
                "",
                _amount(group.total),
                "",
            ]
        )
    writer.writerow(["Total", journal.count, "", "", "", "", "", _amount(journal.total), ""])
    if journal.cancellations:
        writer.writerow([])
        for payment in journal.cancellations:
            cancelled = timezone.localtime(payment.cancelled_at)
            writer.writerow(
                [
                    f"Annulation {payment.get_method_display()}",
                    payment.receipt_number,
                    f"{cancelled:%d/%m/%Y}",
                    f"{cancelled:%H:%M}",
                    _cell(payment.family.name),
                    _cell(payment.cancel_reason),
                    _cell(payment.bank),
                    _amount(-payment.amount),
                    " ".join(payment.settled),
                ]
            )
        writer.writerow(
            [
                "Total annulations",
                len(journal.cancellations),
                "",
                "",
                "",
                "",
                "",
                _amount(-journal.cancelled_total),
                "",
            ]
        )
        writer.writerow(["Net du mois", "", "", "", "", "", "", _amount(journal.net), ""])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
