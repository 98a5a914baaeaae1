"""Gap-free numbers: one series per régie and year for each kind of numbered document.

A number is the régie's code, the document's mark, the year and six digits — letters and
digits only, as PayFiP wants its `refdet`: « F2026000123 » for an invoice, « FR2026000123 »
for a receipt. A credit note continues the invoices' series (an avoir is numbered among the
invoices it corrects).

Every numbered document takes its number here, inside its own transaction: the counter row
of the series is locked until that transaction ends, so whoever numbers next waits (no
twin), and a rolled-back document gives its number back (no gap).
"""

from enum import Enum
from typing import NamedTuple

from django.db import transaction

from .models import InvoiceCounter, Regie, Series


class Document(Enum):
    """What is numbered: the series it takes its numbers in, and its mark in the number."""

    INVOICE = ("invoice", Series.INVOICE, "")
    CREDIT_NOTE = ("credit_note", Series.INVOICE, "")
    RECEIPT = ("receipt", Series.RECEIPT, "R")

    def __init__(self, key: str, series: Series, mark: str):
        self.key = key
        self.series = series
        self.mark = mark


class Number(NamedTuple):
    year: int
    sequence: int  # rank in the régie's series of the year, from 1
    text: str  # what the document shows: F2026000123


def format_number(*, regie: Regie, year: int, sequence: int, document: Document) -> str:
    return f"{regie.code}{document.mark}{year}{sequence:06d}"


class LockedSeries:
    """A régie's series for a year, its counter row locked by the caller's transaction."""

    def __init__(self, regie: Regie, document: Document, counter: InvoiceCounter):
        self.regie, self.document, self._counter = regie, document, counter

    @property
    def last(self) -> int:
        return self._counter.last

    def take(self, count: int = 1) -> list[Number]:
        """The next `count` numbers, in order; the counter row is written once."""
        if count < 1:
            raise ValueError("Au moins un numéro.")
        first = self._counter.last + 1
        self._counter.last += count
        self._counter.save(update_fields=["last"])
        year = self._counter.year
        return [
            Number(year, sequence, self._format(year, sequence))
            for sequence in range(first, first + count)
        ]

    def _format(self, year: int, sequence: int) -> str:
        return format_number(regie=self.regie, year=year, sequence=sequence, document=self.document)


def lock_series(*, regie: Regie, year: int, document: Document) -> LockedSeries:
    """Lock the régie's series of the year (made on its first use) until the caller's
    transaction ends; numbers are then taken from it with `take()`."""
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError(
            "A number is taken inside the transaction that writes its document."
        )
    counter, _ = InvoiceCounter.objects.select_for_update().get_or_create(
        regie=regie, year=year, series=document.series
    )
    return LockedSeries(regie, document, counter)


def next_number(*, regie: Regie, year: int, document: Document) -> Number:
    """The next number of the series, inside the caller's transaction."""
    return lock_series(regie=regie, year=year, document=document).take()[0]


def open_series(*, regie: Regie, year: int, document: Document) -> None:
    """Make the series' counter row now, in its own transaction, for a run that numbers by
    chunks: a chunk that fails then leaves the series as it found it, the row included."""
    InvoiceCounter.objects.get_or_create(regie=regie, year=year, series=document.series)
