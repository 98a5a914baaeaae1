"""CSV files that French Excel opens as is — UTF-8 with a BOM, « ; » between columns, CRLF
line ends, decimal commas — and whose text cells can never run as a formula.

    content = french_excel_csv([HEADER, *rows])
    return csv_response(content, filename="factures-2026-11.csv")
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse

BOM = "\ufeff"
# What Excel (and LibreOffice) read as the start of a formula, or as a cell to split.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> str:
    """A text cell from the data (a name, a reference): quoted when Excel could take it for a
    formula, so that « =HYPERLINK(…) » typed by a family is shown, never run."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def amount(value: Decimal | None) -> str:
    """« 1234,50 »: a number French Excel sums (no grouping, no currency); empty for None."""
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def yes_no(flag: bool) -> str:
    return "Oui" if flag else "Non"


def french_excel_csv(rows: Iterable[Iterable]) -> bytes:
    """The rows (the header first), as the bytes of a file French Excel opens as is. Text
    cells that come from the data go through `text` first."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows(rows)
    return (BOM + out.getvalue()).encode("utf-8")


def csv_response(content: bytes, *, filename: str) -> HttpResponse:
    """The file as a download named `filename`."""
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
