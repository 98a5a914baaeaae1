"""Amounts and dates as a French reader expects them: « 1 234,50 € », « 1er novembre 2026 »."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from reservations.month import day_label

register = template.Library()

NBSP = "\u00a0"


def format_euros(amount: Decimal) -> str:
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", NBSP)
    return f"{sign}{grouped},{cents}{NBSP}€"


@register.filter
def euros(amount: Decimal | None) -> str:
    return "" if amount is None else format_euros(Decimal(amount))


@register.filter
def date_longue(day: date | datetime | None) -> str:
    """A date, or the local date of a moment."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = timezone.localdate(day)
    return day_label(day, year=True, weekday=False)
