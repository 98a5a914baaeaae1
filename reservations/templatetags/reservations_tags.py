from datetime import date
from decimal import Decimal
from functools import lru_cache
from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

from portail.lib.formats import day_label, euros

from ..absences import period_label

register = template.Library()


@register.filter
def iso(day: date) -> str:
    return day.isoformat()


@register.filter(name="euros")
def euros_filter(amount: Decimal | None) -> str:
    """« 14,10 € », as on invoices (portail.lib.formats)."""
    return "" if amount is None else euros(amount)


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
    return period_label(absence.start, absence.end)


# A month holds a few hundred cells: they are written here, in Python, with the same
# markup a template would give — an {% include %} or a tag per cell, even a template
# loop per row, cost more than the rest of the page and made the month the slowest page
# of the portal. Every text is escaped with the standard library's `escape`, Django's
# own without its lazy-string wrapper (one call per cell, many hundreds a page).


@lru_cache(maxsize=1024)
def _day(day: date) -> str:
    return day_label(day)


@lru_cache(maxsize=1024)
def _day_keys(day: date) -> tuple[str, str]:
    """The day as a box's id has it (AAAAMMJJ) and as its value has it (AAAA-MM-JJ)."""
    return f"{day:%Y%m%d}", day.isoformat()


@lru_cache(maxsize=256)
def _euros(price: Decimal, language: str) -> str:
    # A month shows the same few prices many times; localising one costs as much as a cell.
    return euros(price)


def _cell_text(cell) -> str:
    html = f'<span class="cell-text">{escape(cell.text)}</span>'
    if cell.price is not None:
        html += f'<span class="cell-price"> · {_euros(cell.price, get_language())}</span>'
    if cell.note:
        html += f'<span class="cell-note">{escape(cell.note)}</span>'
    return html


def _cell_choice(prefix: str, row, cell, who: str) -> str:
    """The checkbox; `who` is « Léa — Restauration scolaire », escaped."""
    if not cell.action:
        return ""
    child, unit, day = row.child.pk, row.unit.pk, cell.day
    compact, iso = _day_keys(day)
    box = f"{prefix}-{child}-{unit}-{compact}"
    # The value is changes.encode's « enfant:unité:AAAA-MM-JJ:action », written inline:
    # building a Choice for each of a month's boxes showed in the page's time.
    book = " data-book" if cell.action == "book" else ""
    return (
        f'<div class="form-check choice"><input class="form-check-input" type="checkbox" '
        f'name="choix" id="{box}" value="{child}:{unit}:{iso}:{cell.action}"{book}>'
        f'<label class="form-check-label" for="{box}">{escape(cell.action_label)}'
        f'<span class="visually-hidden"> {who} — {_day(day)}</span></label></div>'
    )


@register.simple_tag
def cell_text(cell) -> str:
    """« Réservé · 2,35 € » and, on a second line, why it cannot change or places left."""
    return mark_safe(_cell_text(cell))  # noqa: S308 — every value is escaped above


def _day_head(day: date, month: date) -> str:
    other = "" if day.month == month.month else ' class="other-month"'
    return f'<th scope="col"{other}>{capfirst(_day(day))}</th>'


def _td(prefix: str, row, cell, who: str) -> str:
    span = f' colspan="{cell.span}"' if cell.span > 1 else ""
    return (
        f'<td class="cell state-{cell.state}"{span}>'
        f"{_cell_text(cell)}{_cell_choice(prefix, row, cell, who)}</td>"
    )


@register.simple_tag
def week_table(prefix: str, week, groups, month: date) -> str:
    """One week of the month: its caption, the days as columns, a <tbody> per child and a
    row per activity or unit, a cell per day (or per run of days closed alike)."""
    heads = "".join(_day_head(day, month) for day in week.days)
    lines = [
        '<table class="table table-bordered booking-table">',
        f"<caption>Semaine du {_day(week.monday)} au {day_label(week.friday, year=True)}</caption>",
        f'<thead><tr><th scope="col" class="row-head">Enfant et activité</th>{heads}</tr></thead>',
    ]
    for child, rows in groups:
        name = escape(child.first_name)
        lines.append("<tbody>")
        for row in rows:
            label = escape(row.label)
            who = f"{name} — {label}"
            data = f' data-row-label="{who}"' if row.unit else ""
            cells = "".join(_td(prefix, row, cell, who) for cell in row.cells)
            lines.append(
                f'<tr><th scope="row" class="row-head"{data}>{name}'
                f'<span class="d-block small fw-normal">{label}</span></th>{cells}</tr>'
            )
        lines.append("</tbody>")
    lines.append("</table>")
    return mark_safe("\n".join(lines))  # noqa: S308 — escaped here and in the helpers


@register.simple_tag
def day_items(prefix: str, entry) -> str:
    """A day of the phone's week: an item per child and activity, with its checkbox."""
    items = []
    for row, cell in entry.pairs:
        name, label = escape(row.child.first_name), escape(row.label)
        items.append(
            f'<li class="cell state-{cell.state}">\n'
            f'<span class="fw-semibold">{name}</span> — {label}\n'
            f'<span class="d-block">{_cell_text(cell)}</span>\n'
            f"{_cell_choice(prefix, row, cell, f'{name} — {label}')}\n</li>"
        )
    html = '<ul class="list-unstyled mb-0">\n' + "\n".join(items) + "\n</ul>"
    return mark_safe(html)  # noqa: S308 — escaped here and in the helpers
