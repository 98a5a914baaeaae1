"""Pointage: who was there on a day, for one unit — present, absent, present without booking.

The day must have come: attendance is taken on the day or after, never ahead. An
absence already justified (medical certificate) is not overwritten by a pointage.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import formats, timezone

from children.models import Child

from .models import Booking, DayCount, Status, Unit
from .rules import Context, booking_refusal

# Statuses a pointage may set or change.
MARKABLE = (Status.BOOKED, Status.PRESENT, Status.ABSENT)


class AttendanceError(Exception):
    """Why the pointage cannot be recorded, in French."""


@dataclass(frozen=True)
class Saved:
    present: int
    absent: int
    changed: int


def _check_day(day: date, at: datetime) -> None:
    if day > timezone.localdate(at):
        raise AttendanceError(
            "Le pointage se fait le jour même ou après : "
            f"{formats.date_format(day, 'l j F Y')} n'est pas encore arrivé."
        )


@transaction.atomic
def record_attendance(
    *, unit: Unit, day: date, presence: Mapping[int, bool], by, at: datetime | None = None
) -> Saved:
    """Mark each booking of `unit` on `day` named in `presence` (booking id → present?).

    Ids of other units or days are ignored: the page cannot reach beyond its own list.
    """
    at = at or timezone.now()
    _check_day(day, at)
    bookings = list(
        Booking.objects.select_for_update()
        .filter(unit=unit, day=day, status__in=MARKABLE, pk__in=list(presence))
        .order_by("pk")
    )
    changed = []
    for booking in bookings:
        status = Status.PRESENT if presence[booking.pk] else Status.ABSENT
        if booking.status != status:
            booking.status = status
            changed.append(booking)
    Booking.objects.bulk_update(changed, ["status"])
    present = sum(1 for b in bookings if b.status == Status.PRESENT)
    return Saved(present=present, absent=len(bookings) - present, changed=len(changed))


def _lock_count(unit: Unit, day: date) -> DayCount | None:
    """The day's counter, locked first as booking and cancelling do (no deadlock)."""
    if unit.capacity is None:
        return None
    DayCount.objects.get_or_create(unit=unit, day=day)
    return DayCount.objects.select_for_update().get(unit=unit, day=day)


def _take_place(count: DayCount | None) -> None:
    """A child present takes a place: the counter says so, even beyond capacity."""
    if count is not None:
        count.booked += 1
        count.save(update_fields=["booked"])


@transaction.atomic
def add_unbooked(*, child: Child, unit: Unit, day: date, by, at: datetime | None = None) -> Booking:
    """Record a child present without a booking (no deadline applies; billed as such).

    A child already booked for that unit is simply marked present.
    """
    at = at or timezone.now()
    _check_day(day, at)
    ctx = Context.load(children=[child], activities=[unit.activity], at=at)
    refusal = booking_refusal(ctx, child, unit, day, staff=True)
    if refusal:
        raise AttendanceError(f"{child} : {refusal}.")
    count = _lock_count(unit, day)
    existing = (
        Booking.objects.select_for_update()
        .live()
        .select_related("unit")
        .filter(child=child, activity_id=unit.activity_id, day=day)
        .first()
    )
    if existing is not None:
        if existing.unit_id != unit.pk:
            raise AttendanceError(f"{child} est déjà inscrit(e) ce jour-là : {existing.unit.name}.")
        if existing.status == Status.EXCUSED:
            raise AttendanceError(f"{child} a une absence justifiée ce jour-là.")
        if existing.status == Status.WAITING:
            _take_place(count)
        existing.status = Status.PRESENT
        existing.save(update_fields=["status"])
        return existing
    booking = Booking(
        child=child,
        activity_id=unit.activity_id,
        unit=unit,
        day=day,
        status=Status.PRESENT,
        created_at=at,
        created_by=by,
        by_staff=True,
        after_deadline=True,
        unbooked=True,
    )
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:  # added at the same moment by another agent
        raise AttendanceError(f"{child} vient d'être ajouté(e) par ailleurs.") from error
    _take_place(count)
    return booking
