"""Drafting a month's invoices: what each family owes each régie for a month, computed
from bookings and attendance and saved nowhere.

What a month costs comes from bookings and attendance through `billing.pricing.charges`;
a booking on a day the activity was closed (strike, closure) is shown « non facturé »
unless the child was marked present. A family whose month costs nothing — only exempt
days, or free units — gets no draft: there would be nothing to pay, and the days excused
stay visible on the reservations page. A line is payable in CESU when the régie accepts
them for the activity and the child is under its age limit on the day (`Child.age`): a
birthday in the month splits the line.

The queries do not depend on the number of children or bookings of a family: families
are taken by batches, each batch's families, children, PAI flags and bookings in one query
each, tariffs and closures once.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db.models import QuerySet

from accounts.models import Family
from children.models import Child, Health
from reservations import periods
from reservations.models import Booking, Closure, Status, Unit

from ..models import ZERO, LineKind, Regie, RegieActivity
from ..pricing import Charge, Tariffs, cents, charges

BATCH = 1000  # families whose bookings are read in one query

# Statuses that can cost something (or show as exempt); CANCELLED only on a closed day.
PRICED = (Status.BOOKED, Status.PRESENT, Status.ABSENT, Status.EXCUSED, Status.LATE_CANCELLED)
READ = (*PRICED, Status.CANCELLED)
KIND_ORDER = {LineKind.NORMAL: 0, LineKind.PAI: 0, LineKind.SURCHARGE: 1, LineKind.EXEMPT: 2}


@dataclass
class DraftLine:
    kind: str
    child_name: str
    description: str
    unit_price: Decimal
    days: list[date] = field(default_factory=list)
    cesu_eligible: bool = False

    @property
    def quantity(self) -> int:
        return len(self.days)

    @property
    def amount(self) -> Decimal:
        return cents(self.unit_price * self.quantity)


@dataclass
class Draft:
    """One invoice to be: a family, a régie, a month and its lines (children in order)."""

    regie: Regie
    family: Family
    period: date
    lines: list[DraftLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def by_child(self) -> list[tuple[str, list[DraftLine]]]:
        grouped: dict[str, list[DraftLine]] = {}
        for line in self.lines:
            grouped.setdefault(line.child_name, []).append(line)
        return list(grouped.items())


def month_bounds(month: date) -> tuple[date, date]:
    """The first and last days of the month of `month`."""
    return periods.month_bounds(month.year, month.month)


class BookedDay(NamedTuple):
    """What pricing reads of a booking: a row, without the cost of a model instance."""

    child_id: int
    unit: Unit
    activity_id: int
    day: date
    status: str
    unbooked: bool
    after_deadline: bool


class Month:
    """What every batch of a month shares, loaded once: régies, units, tariffs, closures."""

    def __init__(self, month: date):
        self.start, self.end = month_bounds(month)
        links = list(RegieActivity.objects.select_related("regie"))
        self.regies = {link.activity_id: link.regie for link in links}
        # activity → None when CESU are refused, else the age limit (0: any age)
        self.cesu = {
            link.activity_id: (link.cesu_age_limit or 0) if link.accepts_cesu else None
            for link in links
        }
        self.units = {
            unit.pk: unit
            for unit in Unit.objects.filter(activity_id__in=list(self.regies)).select_related(
                "activity"
            )
        }
        self.tariffs = Tariffs.load(unit_ids=list(self.units), start=self.start, end=self.end)
        self.closed: dict[tuple[int | None, date], str] = {}
        for closure in Closure.objects.filter(start__lte=self.end, end__gte=self.start):
            day = max(closure.start, self.start)
            while day <= min(closure.end, self.end):
                self.closed.setdefault((closure.activity_id, day), closure.reason)
                day += timedelta(days=1)
        self.untariffed: set[tuple[str, date]] = set()

    def bookings(self) -> QuerySet[Booking]:
        return Booking.objects.filter(
            day__range=(self.start, self.end),
            activity_id__in=list(self.regies),
            status__in=READ,
        )

    def family_ids(self) -> list[int]:
        return list(
            self.bookings()
            .order_by("child__family_id")
            .values_list("child__family_id", flat=True)
            .distinct()
        )

    def closure_reason(self, booking: BookedDay) -> str | None:
        return self.closed.get((None, booking.day)) or self.closed.get(
            (booking.activity_id, booking.day)
        )

    def drafts(self, family_ids: list[int]) -> list[Draft]:
        """The drafts of these families: four queries, whatever their size."""
        families = {
            f.pk: f
            for f in Family.objects.filter(pk__in=family_ids).select_related("billing_guardian")
        }
        children = {
            c.pk: c
            for c in Child.objects.filter(family_id__in=family_ids).only(
                "family_id", "first_name", "last_name", "birth_date"
            )
        }
        pai = set(
            Health.objects.filter(child__family_id__in=family_ids, pai=True).values_list(
                "child_id", flat=True
            )
        )
        rows = (
            self.bookings()
            .filter(child__family_id__in=family_ids)
            .values_list(
                "child_id", "unit_id", "activity_id", "day", "status", "unbooked", "after_deadline"
            )
        )
        # (family, régie) → sort and grouping key → line
        lines: dict[tuple[int, int], dict[tuple, DraftLine]] = defaultdict(dict)
        for child_id, unit_id, *rest in rows.iterator(chunk_size=5000):
            booking = BookedDay(child_id, self.units[unit_id], *rest)
            child = children[child_id]
            family = families[child.family_id]
            regie = self.regies[booking.activity_id]
            unit = booking.unit
            for charge in self._charges(booking, family, pai=child_id in pai):
                eligible = self._cesu_eligible(booking, charge, child)
                key = (
                    child.birth_date,
                    child.first_name,
                    child_id,
                    unit.activity.position,
                    booking.activity_id,
                    unit.position,
                    unit_id,
                    KIND_ORDER[charge.kind],
                    charge.description,
                    charge.unit_price,
                    not eligible,  # a birthday in the month splits the line
                )
                line = lines[family.pk, regie.pk].get(key)
                if line is None:
                    line = lines[family.pk, regie.pk][key] = DraftLine(
                        kind=charge.kind,
                        child_name=f"{child.first_name} {child.last_name}",
                        description=charge.description,
                        unit_price=charge.unit_price,
                        cesu_eligible=eligible,
                    )
                line.days.append(booking.day)
        regies = {regie.pk: regie for regie in self.regies.values()}
        drafts = []
        for (family_id, regie_id), keyed in lines.items():
            ordered = [keyed[key] for key in sorted(keyed)]
            for line in ordered:
                line.days.sort()
            drafts.append(Draft(regies[regie_id], families[family_id], self.start, ordered))
        return [d for d in drafts if d.total > 0]

    def _cesu_eligible(self, booking: BookedDay, charge: Charge, child: Child) -> bool:
        """CESU pay for childcare given: the activities the régie accepts them for, under
        the age limit on the day; not for a late cancellation nor an exempt day."""
        limit = self.cesu.get(booking.activity_id)
        if limit is None or charge.kind == LineKind.EXEMPT:
            return False
        if booking.status == Status.LATE_CANCELLED:
            return False
        return not limit or child.age(booking.day) < limit

    def _charges(self, booking: BookedDay, family: Family, *, pai: bool) -> list[Charge]:
        reason = self.closure_reason(booking)
        if reason and booking.status != Status.PRESENT:
            return [_closed_charge(booking, reason)]
        if booking.status == Status.CANCELLED:
            return []
        tariff = self.tariffs.for_(booking.unit.pk, booking.day)
        if tariff is None:
            self.untariffed.add((str(booking.unit), booking.day))
            return []
        return charges(booking, family=family, tariff=tariff, pai=pai)


def _closed_charge(booking: BookedDay, reason: str) -> Charge:
    return Charge(LineKind.EXEMPT, f"{booking.unit.name} — fermeture ({reason}), non facturé", ZERO)


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for at in range(0, len(ids), size):
        yield ids[at : at + size]


def iter_drafts(month: Month, family_ids: Iterable[int] | None) -> Iterator[list[Draft]]:
    ids = month.family_ids() if family_ids is None else sorted(set(family_ids))
    for batch in _batches(ids, BATCH):
        yield sorted(month.drafts(batch), key=lambda d: (d.regie.name, d.family.name, d.family.pk))


def draft(*, month: date, family_ids: Iterable[int] | None = None) -> list[Draft]:
    """What `issue()` would invoice for that month (every family, or those given);
    nothing is saved. Families with nothing to pay are absent."""
    drafts = [d for batch in iter_drafts(Month(month), family_ids) for d in batch]
    return sorted(drafts, key=lambda d: (d.regie.name, d.family.name, d.family.pk))
