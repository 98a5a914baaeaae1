"""Amounts and dates in pages as on invoices (portail.lib.formats): « 1 234,50 € », « 1er
novembre 2026 »."""

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from portail.lib.formats import euros as format_euros
from portail.lib.formats import long_date

register = template.Library()


@register.filter
def euros(amount: Decimal | None) -> str:
    return "" if amount is None else format_euros(amount)


@register.filter
def date_longue(day: date | datetime | None) -> str:
    """A date, or the local date of a moment."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = timezone.localdate(day)
    return long_date(day)
