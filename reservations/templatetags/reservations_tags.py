from datetime import date

from django import template

from ..changes import encode
from ..month import day_label

register = template.Library()


@register.simple_tag
def choice_value(row, cell) -> str:
    """The value a cell's checkbox sends: « enfant:unité:AAAA-MM-JJ:action »."""
    return encode(row.child.pk, row.unit.pk, cell.day, cell.action)


@register.simple_tag
def choice_id(prefix: str, row, cell) -> str:
    return f"{prefix}-{row.child.pk}-{row.unit.pk}-{cell.day:%Y%m%d}"


@register.filter
def iso(day: date) -> str:
    return day.isoformat()


@register.filter
def month_param(day: date) -> str:
    return f"{day:%Y-%m}"


@register.filter
def jour(day: date, style: str = "") -> str:
    """« mardi 1er décembre »; |jour:"année" adds the year, |jour:"court" drops the weekday."""
    return day_label(day, year=style == "année", weekday=style != "court")


@register.filter
def periode(absence) -> str:
    """« le lundi 30 novembre 2026 », « du 30 novembre au 1er décembre 2026 »."""
    from ..absences import period_label

    return period_label(absence.start, absence.end)
