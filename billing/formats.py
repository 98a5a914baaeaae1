"""French formats for invoices, whatever the process locale: « 12,50 € », « 1er décembre 2026 »."""

from datetime import date
from decimal import Decimal

from reservations.deadlines import MONTHS

from .pricing import cents

NBSP = "\u00a0"


def euros(value: Decimal) -> str:
    """« 1 234,50 € » with no-break spaces, so that an amount never wraps."""
    value = cents(Decimal(value))
    sign = "-" if value < 0 else ""
    units, _, decimals = f"{abs(value):.2f}".partition(".")
    grouped = f"{int(units):,}".replace(",", NBSP)
    return f"{sign}{grouped},{decimals}{NBSP}€"


def long_date(day: date) -> str:
    """« 1er décembre 2026 », « 3 novembre 2026 »."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number} {MONTHS[day.month - 1]} {day.year}"


def month_label(period: date) -> str:
    """« Novembre 2026 »."""
    return f"{MONTHS[period.month - 1].capitalize()} {period.year}"


def day_list(days: list[date]) -> str:
    """The days of a line within its month: « 2, 3, 5, 6 »."""
    return ", ".join(str(day.day) for day in sorted(days))
