"""Booking and cancelling, decided by the server.

Each day of a submit is its own short transaction: the day's counter row is locked
(SELECT … FOR UPDATE) only while that one booking is written, so parents booking the
same day at 8:30 queue for milliseconds, not for each other's whole submit; and a day
is never half done. Days are processed in (unit, day) order, so two submits never wait
on each other in opposite orders.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, connection, transaction
from django.utils import formats, timezone

from children.models import Child
from messaging.models import Kind
from messaging.services import notify

from .models import Booking, DayCount, Status, Unit
from .rules import Context, booking_refusal, cancel_refusal


@dataclass(frozen=True)
class Outcome:
    """What happened to one child's day, as the parent reads it."""

    child: Child
    unit: Unit
    day: date
    done: bool
    message: str
    status: str | None = None


def _ordinal(position: int) -> str:
    return "1re" if position == 1 else f"{position}e"


def _day_label(day: date) -> str:
    return formats.date_format(day, "l j F Y")


def book(
    *,
    items: Iterable[tuple[Child, Unit, date]],
    by,
    at: datetime | None = None,
    staff: bool = False,
    shared: Context | None = None,
) -> list[Outcome]:
    """Book each (child, unit, day); a full day puts the child on the waiting list.

    `shared`: a Context already loaded for these units' activities (see Context.load)."""
    at = at or timezone.now()
    items = sorted(set(items), key=lambda item: (item[1].pk, item[2], item[0].pk))
    ctx = Context.load(
        children={child for child, _, _ in items},
        activities={unit.activity for _, unit, _ in items},
        at=at,
        shared=shared,
    )
    outcomes, accepted = [], []
    for child, unit, day in items:
        refusal = booking_refusal(ctx, child, unit, day, staff=staff)
        if refusal:
            outcomes.append(Outcome(child, unit, day, done=False, message=refusal))
        else:
            accepted.append((child, unit, day))
    DayCount.objects.bulk_create(
        [
            DayCount(unit=unit, day=day)
            for unit, day in {(u, d) for _, u, d in accepted if u.capacity is not None}
        ],
        ignore_conflicts=True,
    )
    unlimited = [item for item in accepted if item[1].capacity is None]
    outcomes += _book_unlimited(unlimited, by=by, at=at, staff=staff, ctx=ctx)
    for child, unit, day in accepted:
        if unit.capacity is not None:
            outcomes.append(_book_one(child, unit, day, by=by, at=at, staff=staff, ctx=ctx))
    return outcomes


def _new_booking(child, unit, day, *, status, by, at, staff, ctx) -> Booking:
    return Booking(
        child=child,
        activity_id=unit.activity_id,
        unit=unit,
        day=day,
        status=status,
        created_at=at,
        created_by=by,
        by_staff=staff,
        after_deadline=staff and booking_refusal(ctx, child, unit, day, staff=False) is not None,
        waiting_since=at if status == Status.WAITING else None,
    )


def _book_unlimited(items, *, by, at, staff, ctx) -> list[Outcome]:
    """Days without a capacity need no lock: one INSERT books them all, and the unique
    index turns away (ON CONFLICT DO NOTHING) the days a child already holds, which are
    then reported one by one. A whole term for three children is one statement."""
    if not items:
        return []
    rows = [
        _new_booking(child, unit, day, status=Status.BOOKED, by=by, at=at, staff=staff, ctx=ctx)
        for child, unit, day in items
    ]
    inserted = _insert_new(rows)
    return [
        Outcome(child, unit, day, done=True, message="Réservé", status=Status.BOOKED)
        if (child.pk, unit.pk, day) in inserted
        else _already(child, unit, day)
        for child, unit, day in items
    ]


def _insert_new(rows: list[Booking]) -> set[tuple[int, int, date]]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING: which (child, unit, day) were written."""
    fields = [f for f in Booking._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(rows))
    params = [
        f.get_db_prep_save(getattr(row, f.attname), connection) for row in rows for f in fields
    ]
    table = connection.ops.quote_name(Booking._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES {values} "  # noqa: S608 — names from the model
            "ON CONFLICT DO NOTHING RETURNING child_id, unit_id, day",
            params,
        )
        return {tuple(row) for row in cursor.fetchall()}


def _book_one(child, unit, day, *, by, at, staff, ctx) -> Outcome:
    with transaction.atomic():
        count = None
        if unit.capacity is not None:
            count = DayCount.objects.select_for_update().get(unit=unit, day=day)
        full = count is not None and count.booked >= unit.capacity
        booking = Booking(
            child=child,
            activity_id=unit.activity_id,
            unit=unit,
            day=day,
            status=Status.WAITING if full else Status.BOOKED,
            created_at=at,
            created_by=by,
            by_staff=staff,
            after_deadline=staff
            and booking_refusal(ctx, child, unit, day, staff=False) is not None,
            waiting_since=at if full else None,
        )
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError:
            return _already(child, unit, day)
        if not full:
            if count is not None:
                count.booked += 1
                count.save(update_fields=["booked"])
            return Outcome(child, unit, day, done=True, message="Réservé", status=Status.BOOKED)
        # The waiting list is in the order the day's lock let parents in: the order of the
        # bookings' ids, written under that lock.
        position = Booking.objects.filter(
            unit=unit, day=day, status=Status.WAITING, pk__lte=booking.pk
        ).count()
        return Outcome(
            child,
            unit,
            day,
            done=True,
            message=f"Complet — liste d'attente ({_ordinal(position)})",
            status=Status.WAITING,
        )


def _already(child, unit, day) -> Outcome:
    existing = (
        Booking.objects.live()
        .select_related("unit")
        .filter(child=child, activity_id=unit.activity_id, day=day)
        .first()
    )
    if existing and existing.unit_id == unit.pk:
        return Outcome(child, unit, day, done=True, message="Déjà réservé", status=existing.status)
    other = existing.unit.name if existing else unit.name
    return Outcome(child, unit, day, done=False, message=f"Déjà réservé : {other}")


def cancel(
    *,
    bookings: Iterable[Booking],
    by,
    at: datetime | None = None,
    staff: bool = False,
    late: bool = False,
    shared: Context | None = None,
) -> list[Outcome]:
    """Cancel within the deadline (staff: always; `late` marks a billable late cancellation).

    A place freed goes to the first family on the waiting list, who is told at once.
    """
    at = at or timezone.now()
    bookings = sorted(bookings, key=lambda b: (b.unit_id, b.day, b.child_id))
    ctx = Context.load(
        children={b.child for b in bookings},
        activities={b.unit.activity for b in bookings},
        at=at,
        shared=shared,
    )
    return [_cancel_one(b, by=by, at=at, staff=staff, late=late, ctx=ctx) for b in bookings]


def _cancel_one(booking, *, by, at, staff, late, ctx) -> Outcome:
    unit, child, day = booking.unit, booking.child, booking.day
    with transaction.atomic():
        count = None
        if unit.capacity is not None:
            count = DayCount.objects.select_for_update().filter(unit=unit, day=day).first()
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == Status.WAITING:
            booking.status = Status.CANCELLED
            booking.cancelled_at, booking.cancelled_by = at, by
            booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
            return Outcome(
                child,
                unit,
                day,
                done=True,
                message="Retiré de la liste d'attente",
                status=booking.status,
            )
        if booking.status != Status.BOOKED:
            return Outcome(
                child,
                unit,
                day,
                done=False,
                message=f"Ne peut plus être annulé ({booking.get_status_display().lower()})",
            )
        refusal = cancel_refusal(ctx, unit, day, staff=staff)
        if refusal:
            return Outcome(child, unit, day, done=False, message=refusal, status=booking.status)
        booking.status = Status.LATE_CANCELLED if late else Status.CANCELLED
        booking.cancelled_at, booking.cancelled_by = at, by
        booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
        if count is not None:
            count.booked -= 1
            count.save(update_fields=["booked"])
            promote(count, at=at)
        return Outcome(child, unit, day, done=True, message="Annulé", status=booking.status)


def promote(count: DayCount, *, at: datetime) -> list[Booking]:
    """Give the free places of a locked day to the waiting list, in order of arrival."""
    unit = count.unit
    if count.day < timezone.localdate(at) or unit.capacity is None:
        return []
    free = unit.capacity - count.booked
    if free <= 0:
        return []
    promoted = list(
        Booking.objects.select_for_update()
        .select_related("child__family", "unit__activity")
        .filter(unit=unit, day=count.day, status=Status.WAITING)
        .order_by("pk")[:free]
    )
    for booking in promoted:
        booking.status = Status.BOOKED
        booking.save(update_fields=["status"])
        notify(
            booking.child.family,
            Kind.WAITLIST,
            f"Place obtenue : {unit.activity.name} le {formats.date_format(booking.day, 'j F')}",
            f"Une place s'est libérée : {booking.child.first_name} est inscrit(e) à "
            f"« {unit.name} » ({unit.activity.name}) le {_day_label(booking.day)}. "
            "Si vous n'en avez plus besoin, annulez-la depuis l'onglet Réservations, dans "
            "les délais.",
            link=f"/reservations/?mois={booking.day:%Y-%m}",
            link_label="Voir mes réservations",
        )
    count.booked += len(promoted)
    count.save(update_fields=["booked"])
    return promoted


def promote_waitlists(*, at: datetime | None = None, dry_run: bool = False) -> int:
    """Cron: give every freed place of the coming days to its waiting list. Idempotent."""
    at = at or timezone.now()
    pending = (
        Booking.objects.filter(status=Status.WAITING, day__gte=timezone.localdate(at))
        .values_list("unit_id", "day")
        .distinct()
        .order_by("unit_id", "day")
    )
    total = 0
    for unit_id, day in pending:
        with transaction.atomic():
            count = (
                DayCount.objects.select_for_update()
                .select_related("unit__activity")
                .filter(unit_id=unit_id, day=day)
                .first()
            )
            if count is None:
                continue
            if dry_run:
                waiting = Booking.objects.filter(
                    unit_id=unit_id, day=day, status=Status.WAITING
                ).count()
                total += min(waiting, max((count.unit.capacity or 0) - count.booked, 0))
                transaction.set_rollback(True)
                continue
            total += len(promote(count, at=at))
    return total
