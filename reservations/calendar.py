"""The opening calendar: jours fériés, school holidays by zone, and why an activity is
closed on a given day — in the words a parent reads.

Pure functions on `datetime.date`; the two packages' data is read once per process and
per (year, zone), so that a month view for several activities costs microseconds.

Facts from the packages that matter here:
- `holidays.France` with subdivision "57" (Moselle) adds the two Alsace-Moselle days,
  « Vendredi saint » and « Saint-Étienne » (26 December).
- `vacances_scolaires_france` lists every day of a holiday period, weekends included:
  periods run from the Saturday classes end to the Sunday before they resume. Its data
  covers a fixed range of years; a day outside it raises `UnsupportedYearException`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from types import MappingProxyType

import holidays
from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

__all__ = [
    "ZONES",
    "Closure",
    "Pattern",
    "UnsupportedYearException",
    "closed_reason",
    "holiday_period",
    "is_working_day",
    "opening_days",
    "public_holidays",
    "school_holiday_name",
]

ZONES = ("A", "B", "C")
ALSACE_MOSELLE_SUBDIVISION = "57"
WEDNESDAY = 2
ONE_DAY = timedelta(days=1)

OUT_OF_YEAR = "Hors année scolaire"
WEEKEND = "Week-end"
NO_WEDNESDAY = "Pas d'accueil le mercredi"
WEDNESDAYS_ONLY = "Accueil les mercredis seulement"
HOLIDAYS_ONLY = "Accueil pendant les vacances seulement"


class Pattern(StrEnum):
    """Which days an activity opens, before jours fériés and closures are taken out."""

    SCHOOL_DAYS = "school_days"  # Monday, Tuesday, Thursday, Friday outside school holidays
    WEDNESDAYS = "wednesdays"  # Wednesdays outside school holidays
    HOLIDAYS = "holidays"  # Monday to Friday inside school holidays


@dataclass(frozen=True)
class Closure:
    """Days an activity is closed (strike, works…), both ends included."""

    start: date
    end: date
    reason: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("La fin de la fermeture précède son début.")

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


# --- Jours fériés -------------------------------------------------------------------


@lru_cache(maxsize=64)
def _public_holidays(year: int, alsace_moselle: bool) -> Mapping[date, str]:
    subdivision = ALSACE_MOSELLE_SUBDIVISION if alsace_moselle else None
    country = holidays.France(years=year, language="fr", subdiv=subdivision)
    return MappingProxyType(dict(country))


def public_holidays(year: int, *, alsace_moselle: bool = False) -> dict[date, str]:
    """The jours fériés of `year` with their French names (a copy: the cache stays intact)."""
    return dict(_public_holidays(year, alsace_moselle))


def is_working_day(day: date, *, alsace_moselle: bool = False) -> bool:
    """Monday to Friday and not a jour férié (school holidays are working days)."""
    return day.weekday() < 5 and day not in _public_holidays(day.year, alsace_moselle)


# --- School holidays ------------------------------------------------------------------


@lru_cache(maxsize=1)
def _school_dates() -> SchoolHolidayDates:
    # Parses the package's CSV (about 14,000 rows): once per process.
    return SchoolHolidayDates()


def _check_zone(zone: str) -> None:
    if zone not in ZONES:
        raise ValueError(f"Zone de vacances scolaires inconnue : {zone!r} (A, B ou C).")


@lru_cache(maxsize=64)
def _holiday_names(year: int, zone: str) -> Mapping[date, str]:
    rows = _school_dates().holidays_for_year_and_zone(year, zone)
    return MappingProxyType({day: row["nom_vacances"] for day, row in rows.items()})


@lru_cache(maxsize=64)
def _periods(year: int, zone: str) -> Mapping[date, tuple[date, date, str]]:
    """Each holiday day of `year` → its whole period, which may begin or end in a
    neighbouring year (Noël)."""
    names = dict(_holiday_names(year, zone))
    for neighbour in (year - 1, year + 1):
        # At the edge of the package's data, periods stop there.
        with suppress(UnsupportedYearException):
            names.update(_holiday_names(neighbour, zone))
    index: dict[date, tuple[date, date, str]] = {}
    for day in sorted(d for d in names if d.year == year):
        if day in index:
            continue
        name = names[day]
        start = end = day
        while names.get(start - ONE_DAY) == name:
            start -= ONE_DAY
        while names.get(end + ONE_DAY) == name:
            end += ONE_DAY
        period = (start, end, name)
        current = start
        while current <= end:
            if current.year == year:
                index[current] = period
            current += ONE_DAY
    return MappingProxyType(index)


def school_holiday_name(day: date, zone: str) -> str | None:
    """« Vacances d'hiver », « Vacances de Noël », « Pont de l'Ascension »… or None.
    Saturdays and Sundays inside a period are in it."""
    _check_zone(zone)
    return _holiday_names(day.year, zone).get(day)


def holiday_period(day: date, zone: str) -> tuple[date, date, str] | None:
    """(first day, last day, name) of the school holiday period containing `day`."""
    _check_zone(zone)
    return _periods(day.year, zone).get(day)


# --- Opening days -----------------------------------------------------------------------


def _closed(reason: str) -> str:
    # « Vacances d'hiver » → « Fermé : vacances d'hiver », « Grève » → « Fermé : grève »;
    # an acronym keeps its capitals: « ALSH en sortie ».
    if not reason:
        return "Fermé"
    if not reason[1:2].isupper():
        reason = reason[:1].lower() + reason[1:]
    return f"Fermé : {reason}"


def closed_reason(
    day: date,
    *,
    pattern: Pattern | str,
    zone: str,
    alsace_moselle: bool = False,
    closures: Iterable[Closure] = (),
    year_start: date | None = None,
    year_end: date | None = None,
) -> str | None:
    """None when the activity opens on `day`, else why not, for a parent.

    Precedence: outside the school year, week-end, closure, jour férié, then the pattern.
    """
    if (year_start is not None and day < year_start) or (year_end is not None and day > year_end):
        return OUT_OF_YEAR
    weekday = day.weekday()
    if weekday >= 5:
        return WEEKEND
    for closure in closures:
        if closure.covers(day):
            return _closed(closure.reason.strip())
    public_holiday = _public_holidays(day.year, alsace_moselle).get(day)
    if public_holiday:
        return f"Fermé : jour férié ({public_holiday})"
    school_holiday = school_holiday_name(day, zone)
    pattern = Pattern(pattern)
    if pattern is Pattern.SCHOOL_DAYS:
        if school_holiday:
            return _closed(school_holiday)
        return NO_WEDNESDAY if weekday == WEDNESDAY else None
    if pattern is Pattern.WEDNESDAYS:
        if weekday != WEDNESDAY:
            return WEDNESDAYS_ONLY
        return _closed(school_holiday) if school_holiday else None
    return None if school_holiday else HOLIDAYS_ONLY


def opening_days(
    start: date,
    end: date,
    *,
    pattern: Pattern | str,
    zone: str,
    alsace_moselle: bool = False,
    closures: Iterable[Closure] = (),
    year_start: date | None = None,
    year_end: date | None = None,
) -> dict[date, str | None]:
    """`closed_reason` for every day from `start` to `end` included, in order."""
    if end < start:
        raise ValueError("La fin de la période précède son début.")
    closures = tuple(closures)  # read once per day below: a generator would be spent
    pattern = Pattern(pattern)
    days: dict[date, str | None] = {}
    day = start
    while day <= end:
        days[day] = closed_reason(
            day,
            pattern=pattern,
            zone=zone,
            alsace_moselle=alsace_moselle,
            closures=closures,
            year_start=year_start,
            year_end=year_end,
        )
        day += ONE_DAY
    return days
