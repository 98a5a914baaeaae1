"""The treasury's list of a month's invoices and credit notes: a CSV that French Excel opens
as is (UTF-8 with BOM, « ; » between columns, decimal commas)."""

import csv
import io
from decimal import Decimal

from django.db import models
from django.utils import timezone

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
