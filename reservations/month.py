"""The grid a family books from: for each child, unit and school day of a few weeks, what
the day is (booked, waiting, free, full, closed) and, when it cannot change, why.

Built from one `Context` and a constant number of queries whatever the number of
children, units and days: the family's children, the digest of the tables every family
shares (the active units with their activities and rules, school years, closures,
schools — read again only when the digest changed, see `snapshots`), the children's
enrolments, the family's live bookings of the period, the waiting positions of its
waiting bookings (one window query, only when it has any) and the places taken (one
query on `DayCount`).
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from children.models import Child
from portail.lib.formats import clock, day_label, day_number, weekday_name

from . import deadlines, prices
from .models import (
    HOLDING,
    Activity,
    Booking,
    Closure,
    DayCount,
    DeadlineRule,
    SchoolYear,
    Status,
    Unit,
)
from .rules import Context, deadline, eligibility, has_passed
from .snapshots import Snapshot

ONE_DAY = timedelta(days=1)
# What the grid reads of a booking, and what billing's price of it depends on besides.
BOOKING_FIELDS = (
    *("pk", "child_id", "activity_id", "unit_id", "day", "status"),
    *("after_deadline", "unbooked"),
)
SCHOOL_WEEK = 5  # no activity opens on Saturdays or Sundays: the grid shows Monday to Friday


class State(StrEnum):
    FREE = "free"  # may be booked
    FULL = "full"  # no place left: may join the waiting list
    BOOKED = "booked"  # holds a place (booked, present, absent, excused)
    WAITING = "waiting"  # on the waiting list
    CLOSED = "closed"  # cannot be booked: closed, not enrolled, past, deadline passed…


class Action(StrEnum):
    BOOK = "book"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Cell:
    day: date
    state: State
    text: str  # what the cell says: « Réservé », « Fermé : vacances d'hiver »…
    note: str = ""  # a second, smaller line: why it cannot change, places left
    action: Action | None = None
    span: int = 1  # days merged into this cell (same reason, nothing to do)
    price: Decimal | None = None  # what a booked day costs (billing's pricing function)

    @property
    def action_label(self) -> str:
        if self.action is Action.BOOK:
            return "Liste d'attente" if self.state is State.FULL else "Réserver"
        if self.action is Action.CANCEL:
            return "Quitter la liste" if self.state is State.WAITING else "Annuler"
        return ""

    def mergeable_with(self, other: "Cell") -> bool:
        return (
            self.state is State.CLOSED
            and other.state is State.CLOSED
            and (self.text, self.note) == (other.text, other.note)
            and other.day - self.day == timedelta(days=self.span)
        )


@dataclass
class Row:
    child: Child
    unit: Unit
    label: str  # « Restauration scolaire », « ALSH vacances — Journée avec repas »
    cells: dict[date, Cell] = field(default_factory=dict)


@dataclass(frozen=True)
class WeekRow:
    child: Child
    unit: Unit | None  # None: the activity's units say the same all week, shown once
    label: str
    cells: list[Cell]  # merged: some cells span several days


@dataclass(frozen=True)
class Week:
    monday: date
    days: list[date]
    rows: list[WeekRow]

    @property
    def friday(self) -> date:
        return self.days[-1]

    @property
    def all_week(self) -> list[WeekRow]:
        """Rows closed all week for one reason (« Non inscrit », « Vacances… seulement »)."""
        return [row for row in self.rows if len(row.cells) == 1]

    def by_day(self) -> list["DayEntry"]:
        """For the phone: each day, the (row, cell) pairs of that day — the rows closed all
        week aside, said once."""
        result = []
        for day in self.days:
            pairs = []
            for row in self.rows:
                if len(row.cells) == 1:
                    continue
                cell = next(c for c in row.cells if c.day <= day < c.day + c.span * ONE_DAY)
                pairs.append((row, cell if cell.day == day else _at(cell, day)))
            result.append(DayEntry(day, pairs))
        return result


@dataclass(frozen=True)
class DayEntry:
    day: date
    pairs: list[tuple[WeekRow, Cell]]

    @property
    def common(self) -> str | None:
        """What every row says, when the day is closed alike for all: said once."""
        texts = {(cell.text, cell.note) for _, cell in self.pairs}
        if not texts:
            return "Aucune activité à réserver"
        if len(texts) == 1 and all(cell.state is State.CLOSED for _, cell in self.pairs):
            text, note = texts.pop()
            return f"{text} — {note}" if note else text
        return None


@dataclass(frozen=True)
class Total:
    child: Child
    label: str
    days: int
    amount: Decimal | None = None


@dataclass
class Grid:
    start: date
    end: date
    rows: list[Row]
    children: list[Child]
    priced: bool = False  # whether billing gave prices (else the page shows none)
    # (child, names of the activities they are not enrolled in), said once under the table.
    not_enrolled: list[tuple[Child, list[str]]] = field(default_factory=list)

    def week(self, monday: date) -> Week:
        days = [monday + n * ONE_DAY for n in range(SCHOOL_WEEK)]
        rows: list[WeekRow] = []
        for group in _groups(self.rows):
            cells_by_row = [[row.cells[day] for day in days] for row in group]
            first = group[0]
            if len(group) > 1 and _says_the_same(cells_by_row):
                rows.append(
                    WeekRow(first.child, None, first.unit.activity.name, _merge(cells_by_row[0]))
                )
                continue
            rows.extend(
                WeekRow(row.child, row.unit, row.label, _merge(cells))
                for row, cells in zip(group, cells_by_row, strict=True)
            )
        return Week(monday=monday, days=days, rows=rows)

    def weeks(self) -> list[Week]:
        monday = self.start - self.start.weekday() * ONE_DAY
        result = []
        while monday <= self.end:
            result.append(self.week(monday))
            monday += 7 * ONE_DAY
        return result

    def totals(self, first: date, last: date) -> list[Total]:
        """Days holding a place between `first` and `last`, per child and unit."""
        result = []
        for row in self.rows:
            days = sum(
                1
                for day, cell in row.cells.items()
                if first <= day <= last and cell.state is State.BOOKED
            )
            if days:
                amount = (
                    sum(
                        (
                            cell.price or Decimal("0.00")
                            for day, cell in row.cells.items()
                            if first <= day <= last and cell.state is State.BOOKED
                        ),
                        Decimal("0.00"),
                    )
                    if self.priced
                    else None
                )
                result.append(Total(row.child, row.label, days, amount))
        return result

    def total_amount(self, totals: list[Total]) -> Decimal | None:
        """The sum of `totals` (this grid's), None when the grid has no prices."""
        if not self.priced:
            return None
        return sum((t.amount for t in totals), Decimal("0.00"))


def _groups(rows: list[Row]) -> list[list[Row]]:
    """The rows of each child and activity, in order."""
    groups: dict[tuple[int, int], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.child.pk, row.unit.activity_id), []).append(row)
    return list(groups.values())


def _says_the_same(cells_by_row: list[list[Cell]]) -> bool:
    first = cells_by_row[0]
    return all(cell.state is State.CLOSED for cell in first) and all(
        [(c.text, c.note) for c in cells] == [(c.text, c.note) for c in first]
        for cells in cells_by_row[1:]
    )


def _merge(cells: list[Cell]) -> list[Cell]:
    merged: list[Cell] = []
    for cell in cells:
        if merged and merged[-1].mergeable_with(cell):
            last = merged[-1]
            merged[-1] = Cell(last.day, last.state, last.text, last.note, None, last.span + 1)
        else:
            merged.append(cell)
    return merged


def _at(cell: Cell, day: date) -> Cell:
    return Cell(day, cell.state, cell.text, cell.note, cell.action)


def unit_label(unit: Unit, siblings: int) -> str:
    """The activity's name, and the unit's when the activity has several."""
    return unit.activity.name if siblings <= 1 else f"{unit.activity.name} — {unit.name}"


def ordinal(position: int) -> str:
    return "1re" if position == 1 else f"{position}e"


def short_passed_message(limit: datetime, day: date) -> str:
    """« Délai dépassé depuis le mardi 1er à 10h » — the month is named only when it is
    not the month of the day it is about."""
    local = limit.astimezone(deadlines.PARIS)
    on = local.date()
    when = f"{weekday_name(on.weekday())} {day_number(on)}"
    if (on.year, on.month) != (day.year, day.month):
        when = day_label(on)
    return f"Délai dépassé depuis le {when} à {clock(local.time())}"


def active_units() -> list[Unit]:
    """Units of the active activities, in the order parents read them, with each
    activity's number of units (`siblings`)."""
    units = list(
        Unit.objects.filter(activity__active=True)
        .select_related("activity__booking_rule", "activity__cancel_rule")
        .order_by("activity__position", "activity__name", "position", "name")
    )
    # Every unit of an active activity is in the list: counted here rather than by a
    # GROUP BY over the units' join, which cost more than the rest of the query.
    siblings = Counter(unit.activity_id for unit in units)
    for unit in units:
        unit.siblings = siblings[unit.activity_id]
    return units


@dataclass(frozen=True)
class _Reference:
    """What every family's month reads alike, kept while its tables are unchanged."""

    units: list[Unit]
    shared: Context  # the active activities' school years, closures and schools
    limits: dict  # each (deadline rule, day)'s limit, as worked out so far


def _load_reference() -> _Reference:
    units = active_units()
    activities = list({unit.activity_id: unit.activity for unit in units}.values())
    shared = Context.load(children=[], activities=activities, at=timezone.now())
    return _Reference(units=units, shared=shared, limits={})


_REFERENCE = Snapshot(
    models=[Activity, Activity.schools.through, Unit, DeadlineRule, SchoolYear, Closure],
    load=_load_reference,
)


def shared_reference() -> _Reference:
    """The active units and the Context every family shares, as the tables are now."""
    return _REFERENCE.get()


def build(*, family_id: int, start: date, end: date, at: datetime | None = None) -> Grid:
    at = at or timezone.now()
    # The family comes with its children: billing prices the bookings for it.
    children = list(
        Child.objects.filter(family_id=family_id)
        .select_related("family")
        .order_by("birth_date", "first_name")
    )
    reference = shared_reference() if children else None
    units = reference.units if reference else []
    if not units:
        return Grid(start=start, end=end, rows=[], children=children)
    activities = list({unit.activity_id: unit.activity for unit in units}.values())
    ctx = Context.load(children=children, activities=activities, at=at, shared=reference.shared)
    bookings = list(
        Booking.objects.live()
        .filter(child__family_id=family_id, day__range=(start, end))
        .only(*BOOKING_FIELDS)
        # Read into a dict: the default order would join children, families and activities.
        .order_by()
    )
    units_by_pk = {unit.pk: unit for unit in units}
    maker = _CellMaker(
        ctx=ctx,
        today=timezone.localdate(at),
        units=units_by_pk,
        bookings={(b.child_id, b.activity_id, b.day): b for b in bookings},
        positions=_waiting_positions([b for b in bookings if b.status == Status.WAITING]),
        taken=_places_taken([u for u in units if u.capacity is not None], start, end),
        limits=reference.limits,
    )
    days = [start + n * ONE_DAY for n in range((end - start).days + 1)]
    days = [day for day in days if day.weekday() < SCHOOL_WEEK]
    # A child gets rows only for the activities they are enrolled in (or asked to be) for
    # the school years of the period, plus any they hold a booking in: a row of « Non
    # inscrit » every day says nothing the enrolments page does not say better.
    years = {y.pk for y in ctx.school_years if y.start <= end and start <= y.end}
    enrolled = {(c, a) for (c, a, y) in ctx.enrolments if y in years}
    enrolled |= {(b.child_id, b.activity_id) for b in bookings}
    rows = []
    not_enrolled: dict[int, list[str]] = {}
    for child in children:
        for unit in units:
            if (child.pk, unit.activity_id) not in enrolled:
                names = not_enrolled.setdefault(child.pk, [])
                if unit.activity.name not in names:
                    names.append(unit.activity.name)
                continue
            row = Row(child=child, unit=unit, label=unit_label(unit, unit.siblings))
            row.cells = maker.cells(child, unit, days)
            rows.append(row)
    # Billing prices the bookings loaded above (those holding a place in a unit shown),
    # each given its unit, rather than loading them again.
    holding = []
    for booking in bookings:
        if booking.status in HOLDING and booking.unit_id in units_by_pk:
            booking.unit = units_by_pk[booking.unit_id]
            holding.append(booking)
    priced = prices.booking_prices(children[0].family, holding)
    if priced is not None:
        by_key = {(b.child_id, b.unit_id, b.day): b.pk for b in bookings}
        for row in rows:
            for day, cell in row.cells.items():
                if cell.state is State.BOOKED:
                    pk = by_key.get((row.child.pk, row.unit.pk, day))
                    row.cells[day] = replace(cell, price=priced.get(pk))
    # Prices are shown only when billing priced something: no tariff, no made-up figure.
    return Grid(
        start=start,
        end=end,
        rows=rows,
        children=children,
        priced=bool(priced),
        not_enrolled=[(c, not_enrolled[c.pk]) for c in children if c.pk in not_enrolled],
    )


def _waiting_positions(waiting: list[Booking]) -> dict[int, int]:
    """Each waiting booking's place in its line, in one query (none when nothing waits):
    the waiting bookings of its unit and day up to its own, counted by PostgreSQL on the
    (unit, day, status) index. Numbering every line in a window and keeping the family's
    rows in Python read thousands of rows per page the morning registrations open.
    """
    if not waiting:
        return {}
    ahead = (
        Booking.objects.filter(
            status=Status.WAITING,
            unit_id=OuterRef("unit_id"),
            day=OuterRef("day"),
            pk__lte=OuterRef("pk"),
        )
        .order_by()
        .values("unit_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return dict(
        Booking.objects.filter(pk__in=[b.pk for b in waiting])
        .annotate(position=Subquery(ahead))
        .order_by()
        .values_list("pk", "position")
    )


def _places_taken(units: Iterable[Unit], start: date, end: date) -> dict[tuple[int, date], int]:
    units = list(units)
    if not units:
        return {}
    return {
        (unit_id, day): booked
        for unit_id, day, booked in DayCount.objects.filter(
            unit__in=units, day__range=(start, end)
        ).values_list("unit_id", "day", "booked")
    }


@dataclass
class _CellMaker:
    """The state of one cell, from what `build` loaded. What does not depend on the child
    is decided once per unit and day (opening, places; deadlines once per rule and day,
    kept with the shared tables), what does once per child, activity and day (closed,
    enrolment, school, age): cells are immutable, so equal ones are shared."""

    ctx: Context
    today: date
    units: dict[int, Unit]
    bookings: dict[tuple[int, int, date], Booking]
    positions: dict[int, int]
    taken: dict[tuple[int, date], int]
    limits: dict = field(default_factory=dict)
    _eligibility: dict[tuple[int, int, date], str | None] = field(default_factory=dict)
    _open: dict[tuple[int, date], Cell] = field(default_factory=dict)
    _closed: dict[tuple[str, date], Cell] = field(default_factory=dict)

    def limit(self, rule, day: date) -> datetime | None:
        key = (rule.pk, day)
        if key not in self.limits:
            self.limits[key] = deadline(rule, day)
        return self.limits[key]

    def passed(self, rule, day: date) -> str | None:
        limit = self.limit(rule, day)
        return short_passed_message(limit, day) if has_passed(limit, self.ctx.at) else None

    def cells(self, child: Child, unit: Unit, days: list[date]) -> dict[date, Cell]:
        """A row's cells: a few hundred a month, hence the loop kept to dictionary reads."""
        child_id, activity_id = child.pk, unit.activity_id
        cells = {}
        for day in days:
            key = (child_id, activity_id, day)
            booking = self.bookings.get(key)
            if booking is not None:
                cells[day] = self.booked(booking, unit, day)
                continue
            # Not booked: in the order of rules.booking_refusal (what stops this child, then
            # what stops everybody), with a shorter deadline wording for a grid.
            if key not in self._eligibility:
                self._eligibility[key] = eligibility(self.ctx, child, unit.activity, day)
            reason = self._eligibility[key]
            if reason is None:
                if (unit.pk, day) not in self._open:
                    self._open[unit.pk, day] = self.open_to_all(unit, day)
                cells[day] = self._open[unit.pk, day]
            else:
                if (reason, day) not in self._closed:
                    self._closed[reason, day] = Cell(day, State.CLOSED, reason)
                cells[day] = self._closed[reason, day]
        return cells

    def booked(self, booking: Booking, unit: Unit, day: date) -> Cell:
        if booking.unit_id != unit.pk:
            other = self.units.get(booking.unit_id)
            name = other.name if other else "autre formule"
            what = "Liste d'attente" if booking.status == Status.WAITING else "Réservé"
            return Cell(day, State.CLOSED, f"{what} : {name}")
        past = day < self.today
        if booking.status == Status.WAITING:
            position = self.positions.get(booking.pk)
            text = f"Liste d'attente ({ordinal(position)})" if position else "Liste d'attente"
            if past:
                return Cell(day, State.WAITING, text, "Jour passé")
            return Cell(day, State.WAITING, text, action=Action.CANCEL)
        if booking.status != Status.BOOKED:  # present, absent, excused: the day is done
            return Cell(day, State.BOOKED, Status(booking.status).label)
        if past:
            return Cell(day, State.BOOKED, "Réservé", "Jour passé")
        refusal = self.passed(unit.activity.cancel_rule, day)
        if refusal:
            return Cell(day, State.BOOKED, "Réservé", refusal)
        return Cell(day, State.BOOKED, "Réservé", action=Action.CANCEL)

    def open_to_all(self, unit: Unit, day: date) -> Cell:
        """The cell of a child who may attend that day: the same for every such child."""
        activity = unit.activity
        if day < self.today:
            return Cell(day, State.CLOSED, "Jour passé")
        if activity.booking_opens_at and not has_passed(activity.booking_opens_at, self.ctx.at):
            return Cell(day, State.CLOSED, deadlines.opens_message(activity.booking_opens_at))
        refusal = self.passed(activity.booking_rule, day)
        if refusal:
            return Cell(day, State.CLOSED, refusal)
        if unit.capacity is None:
            return Cell(day, State.FREE, "Libre", action=Action.BOOK)
        left = unit.capacity - self.taken.get((unit.pk, day), 0)
        if left <= 0:
            return Cell(day, State.FULL, "Complet", "liste d'attente possible", Action.BOOK)
        places = "1 place" if left == 1 else f"{left} places"
        return Cell(day, State.FREE, "Libre", places, Action.BOOK)


def group_by_child(rows: Iterable[WeekRow]) -> list[tuple[Child, list[WeekRow]]]:
    grouped: dict[int, tuple[Child, list[WeekRow]]] = {}
    for row in rows:
        grouped.setdefault(row.child.pk, (row.child, []))[1].append(row)
    return list(grouped.values())
