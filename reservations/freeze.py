"""Freezing days whose booking deadline has passed: the count sent to the kitchen."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from .models import HOLDING, Activity, Booking, DayCount, Unit
from .rules import Context, deadline, has_passed

HORIZON_DAYS = 21


@dataclass(frozen=True)
class Frozen:
    unit: Unit
    day: date
    count: int


def days_to_freeze(*, at: datetime, horizon: int = HORIZON_DAYS) -> list[tuple[Unit, date]]:
    """(unit, day) pairs of the coming days whose booking deadline has passed, not yet frozen."""
    today = timezone.localdate(at)
    days = [today + timedelta(days=n) for n in range(horizon + 1)]
    activities = list(Activity.objects.filter(active=True).select_related("booking_rule"))
    units = list(
        Unit.objects.filter(activity__in=activities).select_related("activity__booking_rule")
    )
    ctx = Context.load(children=[], activities=activities, at=at)
    frozen = set(
        DayCount.objects.filter(day__in=days, frozen_at__isnull=False).values_list("unit_id", "day")
    )
    due = []
    for unit in units:
        for day in days:
            if (unit.pk, day) in frozen or ctx.closed_reason(unit.activity, day):
                continue
            if has_passed(deadline(unit.activity.booking_rule, day), at):
                due.append((unit, day))
    return due


def freeze(*, at: datetime | None = None, dry_run: bool = False) -> list[Frozen]:
    """Record, once, the places taken on each day whose deadline passed."""
    at = at or timezone.now()
    due = days_to_freeze(at=at)
    if not due:
        return []
    rows = (
        Booking.objects.filter(
            unit__in={unit.pk for unit, _ in due},
            day__in={day for _, day in due},
            status__in=HOLDING,
        )
        .values("unit_id", "day")
        .annotate(n=Count("pk"))
        .values_list("unit_id", "day", "n")
    )
    counts = {(unit_id, day): n for unit_id, day, n in rows}
    result = [Frozen(unit, day, counts.get((unit.pk, day), 0)) for unit, day in due]
    if dry_run:
        return result
    with transaction.atomic():
        DayCount.objects.bulk_create(
            [DayCount(unit=f.unit, day=f.day) for f in result], ignore_conflicts=True
        )
        for item in result:
            DayCount.objects.filter(unit=item.unit, day=item.day, frozen_at__isnull=True).update(
                frozen_at=at, frozen_count=item.count
            )
    return result
