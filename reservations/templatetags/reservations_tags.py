from datetime import date

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join

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


# A month holds a few hundred cells: each is written here rather than by an {% include %},
# which costs about ten times more per cell and made the month the slowest page.


@register.simple_tag
def cell_text(cell) -> str:
    """« Réservé · 2,35 € » and, on a second line, why it cannot change or places left."""
    parts = [("cell-text", cell.text)]
    if cell.price is not None:
        parts.append(("cell-price", f" · {number_format(cell.price, 2)}\u00a0€"))
    if cell.note:
        parts.append(("cell-note", cell.note))
    return format_html_join("", '<span class="{}">{}</span>', parts)


@register.simple_tag
def cell_choice(prefix: str, row, cell) -> str:
    """The cell's checkbox, labelled in full for screen readers."""
    if not cell.action:
        return ""
    box = choice_id(prefix, row, cell)
    return format_html(
        '<div class="form-check choice"><input class="form-check-input" type="checkbox" '
        'name="choix" id="{}" value="{}"{}><label class="form-check-label" for="{}">{}'
        '<span class="visually-hidden"> {} — {} — {}</span></label></div>',
        box,
        choice_value(row, cell),
        " data-book" if cell.action == "book" else "",
        box,
        cell.action_label,
        row.child.first_name,
        row.label,
        jour(cell.day),
    )
