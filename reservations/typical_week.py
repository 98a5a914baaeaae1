"""A typical week applied over a period: « tous les lundis, mardis, jeudis et vendredis du
5 janvier au 3 avril, sauf le 16 février »."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from children.models import Child

from . import changes
from .models import Booking, Unit
from .rules import Context

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Plan:
    """The days a typical week asks for, and how many of its days the activity is closed."""

    days: list[date]
    closed: int


def plan(
    *,
    unit: Unit,
    children: Iterable[Child],
    weekdays: Iterable[int],
    start: date,
    end: date,
    exceptions: Iterable[date] = (),
    at: datetime | None = None,
) -> Plan:
    """The chosen weekdays from `start` to `end`, but the exceptions and the days the
    activity does not open (week-ends, holidays, jours fériés, closures)."""
    weekdays, exceptions = set(weekdays), set(exceptions)
    ctx = Context.load(children=children, activities=[unit.activity], at=at or timezone.now())
    days, closed = [], 0
    day = start
    while day <= end:
        if day.weekday() in weekdays and day not in exceptions:
            if ctx.closed_reason(unit.activity, day):
                closed += 1
            else:
                days.append(day)
        day += ONE_DAY
    return Plan(days=days, closed=closed)


def apply(
    *,
    unit: Unit,
    children: list[Child],
    days: list[date],
    action: str,
    by,
    at: datetime | None = None,
) -> tuple[list[changes.Result], int]:
    """Book (or cancel) every day of the plan for every child; for a cancel, also how
    many of the days had nothing to cancel."""
    at = at or timezone.now()
    if action == changes.Action.BOOK:
        items = [(child, unit, day) for child in children for day in days]
        return changes.book(items=items, by=by, at=at), 0
    booked = set(
        Booking.objects.live()
        .filter(child__in=children, unit=unit, day__in=days)
        .values_list("child_id", "day")
    )
    choices = [
        changes.Choice(child.pk, unit.pk, day, changes.Action.CANCEL)
        for child in children
        for day in days
        if (child.pk, day) in booked
    ]
    results = changes.cancel(
        children={c.pk: c for c in children},
        units={unit.pk: unit},
        choices=choices,
        by=by,
        at=at,
    )
    return results, len(children) * len(days) - len(choices)
