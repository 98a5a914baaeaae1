"""What the treasury reads, as CSV files French Excel opens as is (portail.lib.csv_export):
a month's invoices and credit notes, and a régie's payments journal of a month
(`billing.journal`, also shown on a page)."""

from collections.abc import Iterator

from django.db import models
from django.utils import timezone

from portail.lib.csv_export import amount, french_excel_csv, text

from .journal import Journal

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


def _invoice_rows(invoices: models.QuerySet) -> Iterator[list]:
    rows = invoices.select_related("family", "regie").order_by("regie__name", "year", "sequence")
    for invoice in rows.iterator(chunk_size=2000):
        credit_note = invoice.is_credit_note
        yield [
            invoice.number,
            invoice.get_kind_display(),
            f"{timezone.localdate(invoice.issued_at):%d/%m/%Y}",
            f"{invoice.period:%m/%Y}",
            text(invoice.family.name),
            text(invoice.payer_name),
            text(invoice.regie.name),
            amount(-invoice.total if credit_note else invoice.total),
            "" if credit_note else amount(invoice.paid),
            "" if credit_note else amount(invoice.remaining),
        ]


def invoices_csv(invoices: models.QuerySet) -> bytes:
    """`invoices` carries billing.queries' amounts (`with_amounts`)."""
    return french_excel_csv([HEADER, *_invoice_rows(invoices)])


# --- the payments journal of a régie's month ------------------------------------------------

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


def _total(label: str, count: int | str, total) -> list:
    return [label, count, "", "", "", "", "", amount(total), ""]


def _journal_rows(journal: Journal) -> Iterator[list]:
    for group in journal.groups:
        for payment in group.payments:
            received = timezone.localtime(payment.received_at)
            yield [
                group.label,
                payment.receipt_number,
                f"{received:%d/%m/%Y}",
                f"{received:%H:%M}",
                text(payment.family.name),
                text(payment.reference),
                text(payment.bank),
                amount(payment.amount),
                " ".join(payment.settled),
            ]
    yield []
    for group in journal.groups:
        yield _total(f"Total {group.label}", len(group.payments), group.total)
    yield _total("Total", journal.count, journal.total)
    if not journal.cancellations:
        return
    yield []
    for payment in journal.cancellations:
        cancelled = timezone.localtime(payment.cancelled_at)
        yield [
            f"Annulation {payment.get_method_display()}",
            payment.receipt_number,
            f"{cancelled:%d/%m/%Y}",
            f"{cancelled:%H:%M}",
            text(payment.family.name),
            text(payment.cancel_reason),
            text(payment.bank),
            amount(-payment.amount),
            " ".join(payment.settled),
        ]
    yield _total("Total annulations", len(journal.cancellations), -journal.cancelled_total)
    yield _total("Net du mois", "", journal.net)


def journal_csv(journal: Journal) -> bytes:
    return french_excel_csv([JOURNAL_HEADER, *_journal_rows(journal)])
