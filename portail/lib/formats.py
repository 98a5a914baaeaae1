"""French wording of amounts, dates and hours, the one place every page, PDF, message and
command takes them from: « 1 234,50 € », « mardi 1er décembre 2026 », « 10h », « 10h05 ».

Built on Django's `date_format` / `number_format` (the portal speaks only French:
LANGUAGE_CODE "fr"), so the names of days and months and the separators are Django's;
only « 1er » and « de / d' » are ours.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format, number_format, time_format
from django.utils.text import capfirst

NBSP = "\u00a0"
CENT = Decimal("0.01")
VOWELS = frozenset("aeiouyhâàéèêëîïôöûüœAEIOUYHÂÀÉÈÊËÎÏÔÖÛÜŒ")


# --- our own two helpers ------------------------------------------------------------------


def day_number(day: dt.date) -> str:
    """« 1er » for the first of a month, « 2 » … « 31 » for the others."""
    return "1er" if day.day == 1 else str(day.day)


def de(word: str) -> str:
    """« de novembre », « d'avril », « d'août »: the preposition elided before a vowel or a
    mute h."""
    return f"d'{word}" if word[:1] in VOWELS else f"de {word}"


# --- amounts --------------------------------------------------------------------------------


def euros(value: Decimal | int) -> str:
    """« 1 234,50 € », « -12,50 € », with no-break spaces so that an amount never wraps;
    rounded half up to the cent."""
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    if not amount:
        amount = abs(amount)  # never « -0,00 € »
    return f"{number_format(amount, 2, force_grouping=True)}{NBSP}€"


# --- days -----------------------------------------------------------------------------------


def weekday_name(weekday: int) -> str:
    """« lundi » for 0 … « dimanche » for 6."""
    return str(WEEKDAYS[weekday])


def long_date(day: dt.date) -> str:
    """« 1er décembre 2026 », « 3 novembre 2026 »."""
    return f"{day_number(day)} {date_format(day, 'F Y')}"


def month_label(period: dt.date) -> str:
    """« Novembre 2026 »."""
    return capfirst(date_format(period, "F Y"))


def day_label(day: dt.date, *, year: bool = False, weekday: bool = True) -> str:
    """« mardi 1er décembre »; « mardi 1er décembre 2026 » with the year, « 1er décembre »
    without the weekday."""
    label = f"{day_number(day)} {date_format(day, 'F')}"
    if weekday:
        label = f"{date_format(day, 'l')} {label}"
    return f"{label} {day.year}" if year else label


def day_list(days: list[dt.date]) -> str:
    """The days of a line within its month: « 2, 3, 5, 6 »."""
    return ", ".join(str(day.day) for day in sorted(days))


# --- hours ----------------------------------------------------------------------------------


def clock(at: dt.time) -> str:
    """« 10h », « 10h05 », « 0h » (never « minuit », which parents read as the end of the day
    named)."""
    return time_format(at, r"G\hi" if at.minute else r"G\h")
