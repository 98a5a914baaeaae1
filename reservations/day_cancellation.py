"""« Annuler une journée pour tous »: a strike or a closure decided after families booked.

The day is closed (a Closure, so that nobody books it again), every live booking of
that day is cancelled — a cancellation by the town hall, never billed, and nobody on a
waiting list is promoted to a closed day — and each family is told once, in one
message naming all its children concerned.

Run twice, the second run finds the closure and no live booking: it changes nothing
and tells nobody again. Two runs at once are serialised by a transaction-level
advisory lock.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db import connection, transaction
from django.utils import formats, timezone

from messaging.models import Kind
from messaging.services import notify

from .models import LIVE, Activity, Booking, Closure, DayCount, Status


@dataclass(frozen=True)
class DayCancelled:
    closure: Closure
    closure_created: bool
    cancelled: int
    families: int


def _lock() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ["reservations.cancel_day"])


def live_bookings(*, day: date, activity: Activity | None = None):
    bookings = Booking.objects.filter(day=day, status__in=LIVE)
    if activity is not None:
        bookings = bookings.filter(activity=activity)
    return bookings


def preview(*, day: date, activity: Activity | None = None) -> tuple[int, int]:
    """(bookings, families) the cancellation would reach, for the confirmation page."""
    bookings = live_bookings(day=day, activity=activity)
    return (
        bookings.count(),
        bookings.order_by().values("child__family_id").distinct().count(),
    )


def _day_label(day: date) -> str:
    return formats.date_format(day, "l j F Y")


def _tell(family, bookings: list[Booking], *, day: date, reason: str) -> None:
    activities = sorted({b.activity.name for b in bookings})
    lines = "\n".join(
        f"- {b.child.first_name} : {b.activity.name} — {b.unit.name}"
        for b in sorted(bookings, key=lambda b: (b.child.first_name, b.activity.name))
    )
    notify(
        family,
        Kind.CANCELLATION,
        f"Annulation du {formats.date_format(day, 'j F')} : {', '.join(activities)}",
        f"L'accueil du {_day_label(day)} n'a pas lieu (motif : {reason}).\n"
        f"Les réservations suivantes sont annulées et ne vous seront pas facturées :\n{lines}",
        link=f"/reservations/?mois={day:%Y-%m}",
        link_label="Voir mes réservations",
    )


@transaction.atomic
def cancel_day(
    *,
    day: date,
    reason: str,
    by,
    activity: Activity | None = None,
    at: datetime | None = None,
) -> DayCancelled:
    """Close `day` for `activity` (None: every activity) and cancel its bookings."""
    reason = reason.strip()
    if not reason:
        raise ValueError("Le motif de l'annulation est obligatoire.")
    at = at or timezone.now()
    _lock()
    closure = Closure.objects.filter(activity=activity, start=day, end=day).first()
    created = closure is None
    if created:
        closure = Closure.objects.create(activity=activity, start=day, end=day, reason=reason)
    # The day's counters first, in the order booking and cancelling take them.
    counts = DayCount.objects.select_for_update().filter(day=day).order_by("unit_id")
    if activity is not None:
        counts = counts.filter(unit__activity=activity)
    counts = list(counts)
    bookings = list(
        live_bookings(day=day, activity=activity)
        .select_for_update(of=("self",))
        .select_related("child__family", "activity", "unit")
        .order_by("pk")
    )
    for booking in bookings:
        booking.status = Status.CANCELLED
        booking.cancelled_at, booking.cancelled_by = at, by
    Booking.objects.bulk_update(bookings, ["status", "cancelled_at", "cancelled_by"])
    for count in counts:
        if count.booked:
            count.booked = 0  # every place of the day is free; the day is closed
            count.save(update_fields=["booked"])
    by_family = defaultdict(list)
    for booking in bookings:
        by_family[booking.child.family].append(booking)
    for family, theirs in by_family.items():
        _tell(family, theirs, day=day, reason=closure.reason)
    return DayCancelled(
        closure=closure, closure_created=created, cancelled=len(bookings), families=len(by_family)
    )
