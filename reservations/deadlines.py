"""Deadline rules for booking and cancelling: a few typed fields, computed in Paris time.

- « J-2 avant 10h »: `Rule(RuleKind.DAYS_BEFORE, days=2, time=time(10))`;
- « 2 jours ouvrés avant, à 10h » (« 48h ouvrées »): the same with `working_days=True`
  — week-ends and jours fériés are not counted;
- « jeudi 12h pour la semaine suivante »: `Rule(RuleKind.PREVIOUS_WEEK, weekday=3,
  time=time(12))` — for any day of a week (Monday to Sunday), the Thursday before it;
- « 15 jours avant les vacances »: `Rule(RuleKind.BEFORE_PERIOD, days=15)` — counted from
  the first day of the school holiday period (the Saturday classes end); a day outside
  the holidays counts from itself.

Messages never depend on the process locale: they are worded with portail.lib.formats.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from portail.lib.formats import clock, day_label, weekday_name

from . import calendar

PARIS = ZoneInfo("Europe/Paris")
ONE_DAY = dt.timedelta(days=1)


class RuleKind(StrEnum):
    NONE = "none"
    DAYS_BEFORE = "days_before"
    PREVIOUS_WEEK = "previous_week"
    BEFORE_PERIOD = "before_period"


@dataclass(frozen=True)
class Rule:
    kind: RuleKind
    days: int = 0
    time: dt.time = dt.time(0, 0)
    working_days: bool = False
    weekday: int | None = None  # PREVIOUS_WEEK only: 0 = Monday … 6 = Sunday

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RuleKind(self.kind))  # also takes the stored string
        if self.days < 0:
            raise ValueError("Le nombre de jours d'un délai ne peut pas être négatif.")
        if self.time.tzinfo is not None:
            raise ValueError("L'heure limite est une heure de Paris, sans fuseau.")
        if self.kind is RuleKind.PREVIOUS_WEEK and self.weekday not in range(7):
            raise ValueError("Choisir le jour de la semaine précédente (0 = lundi … 6 = dimanche).")


def paris_datetime(day: dt.date, at: dt.time) -> dt.datetime:
    """`day` at local time `at` in Paris, as an aware datetime.

    A time the spring change skips (02:30 on the last Sunday of March) becomes the same
    instant written in summer time (03:30+02:00); a time the autumn change repeats
    (02:30 on the last Sunday of October) is its first occurrence (+02:00).
    """
    local = dt.datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=PARIS)
    return local.astimezone(dt.UTC).astimezone(PARIS)


def _days_before(day: dt.date, days: int, *, working_days: bool, alsace_moselle: bool) -> dt.date:
    if not working_days:
        return day - dt.timedelta(days=days)
    while days:
        day -= ONE_DAY
        if calendar.is_working_day(day, alsace_moselle=alsace_moselle):
            days -= 1
    return day


def deadline(
    rule: Rule, day: dt.date, *, zone: str = "B", alsace_moselle: bool = False
) -> dt.datetime | None:
    """The last moment (exclusive) to act on `day` under `rule`, in Paris time; None when
    the rule sets no deadline."""
    if rule.kind is RuleKind.NONE:
        return None
    if rule.kind is RuleKind.PREVIOUS_WEEK:
        on = day - dt.timedelta(days=day.weekday() + 7 - rule.weekday)
    else:
        anchor = day
        if rule.kind is RuleKind.BEFORE_PERIOD:
            period = calendar.holiday_period(day, zone)
            if period is not None:
                anchor = period[0]
        on = _days_before(
            anchor, rule.days, working_days=rule.working_days, alsace_moselle=alsace_moselle
        )
    return paris_datetime(on, rule.time)


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("Une date et heure avec fuseau est attendue (timezone.now()).")
    return moment


def is_open(
    rule: Rule,
    day: dt.date,
    at: dt.datetime,
    *,
    zone: str = "B",
    alsace_moselle: bool = False,
) -> bool:
    """True while `at` is before the deadline (always, for a rule without one)."""
    limit = deadline(rule, day, zone=zone, alsace_moselle=alsace_moselle)
    # Compared in UTC: two Paris datetimes would be compared by wall time, which is wrong
    # in the hour the autumn change repeats.
    return limit is None or _aware(at).astimezone(dt.UTC) < limit.astimezone(dt.UTC)


# --- French wording -------------------------------------------------------------------


def _count(days: int, working_days: bool) -> str:
    noun = "jour" if days == 1 else "jours"
    if working_days:
        noun += " ouvré" if days == 1 else " ouvrés"
    return f"{days} {noun}"


def describe(rule: Rule) -> str:
    """The rule for parents: « Au plus tard 2 jours ouvrés avant, à 10h »."""
    if rule.kind is RuleKind.NONE:
        return "Sans délai"
    at = clock(rule.time)
    count = _count(rule.days, rule.working_days)
    if rule.kind is RuleKind.PREVIOUS_WEEK:
        return f"Au plus tard le {weekday_name(rule.weekday)} de la semaine précédente, à {at}"
    if rule.kind is RuleKind.BEFORE_PERIOD:
        if rule.days == 0:
            return f"Au plus tard le premier jour des vacances, à {at}"
        return f"Au plus tard {count} avant le début des vacances, à {at}"
    if rule.days == 0:
        return f"Au plus tard le jour même, à {at}"
    if rule.days == 1 and not rule.working_days:
        return f"Au plus tard la veille, à {at}"
    return f"Au plus tard {count} avant, à {at}"


def _when(moment: dt.datetime) -> str:
    local = _aware(moment).astimezone(PARIS)
    return f"{day_label(local.date())} à {clock(local.time())}"


def passed_message(deadline_dt: dt.datetime) -> str:
    """« Délai dépassé depuis le mardi 2 mars à 10h »."""
    return f"Délai dépassé depuis le {_when(deadline_dt)}"


def opens_message(opens_at: dt.datetime) -> str:
    """« Réservations ouvertes à partir du lundi 1er mars à 7h »."""
    return f"Réservations ouvertes à partir du {_when(opens_at)}"
