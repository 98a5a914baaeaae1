from datetime import date

from django import template
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

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


# A month holds a few hundred cells: they are written here, in Python, with the same
# markup a template would give — an {% include %} or a tag per cell cost more than the
# rest of the page and made the month the slowest page of the portal.


def _cell_text(cell) -> str:
    html = f'<span class="cell-text">{escape(cell.text)}</span>'
    if cell.price is not None:
        html += f'<span class="cell-price"> · {number_format(cell.price, 2)}\u00a0€</span>'
    if cell.note:
        html += f'<span class="cell-note">{escape(cell.note)}</span>'
    return html


def _cell_choice(prefix: str, row, cell) -> str:
    if not cell.action:
        return ""
    box = choice_id(prefix, row, cell)
    book = " data-book" if cell.action == "book" else ""
    hidden = f" {row.child.first_name} — {row.label} — {jour(cell.day)}"
    return (
        f'<div class="form-check choice"><input class="form-check-input" type="checkbox" '
        f'name="choix" id="{box}" value="{escape(choice_value(row, cell))}"{book}>'
        f'<label class="form-check-label" for="{box}">{escape(cell.action_label)}'
        f'<span class="visually-hidden">{escape(hidden)}</span></label></div>'
    )


@register.simple_tag
def cell_text(cell) -> str:
    """« Réservé · 2,35 € » and, on a second line, why it cannot change or places left."""
    return mark_safe(_cell_text(cell))  # noqa: S308 — every value is escaped above


@register.simple_tag
def cell_choice(prefix: str, row, cell) -> str:
    """The cell's checkbox, labelled in full for screen readers."""
    return mark_safe(_cell_choice(prefix, row, cell))  # noqa: S308 — escaped above


@register.simple_tag
def row_cells(prefix: str, row) -> str:
    """All the <td> of one row of a week's table."""
    cells = []
    for cell in row.cells:
        span = f' colspan="{cell.span}"' if cell.span > 1 else ""
        cells.append(
            f'<td class="cell state-{cell.state}"{span}>'
            f"{_cell_text(cell)}{_cell_choice(prefix, row, cell)}</td>"
        )
    return mark_safe("".join(cells))  # noqa: S308 — escaped in the helpers above
