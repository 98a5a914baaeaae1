"""« Liste du jour »: who is expected on a day, unit by unit — the kitchen's order.

The same list is shown on screen, exported as a CSV that French Excel opens as is
(portail.lib.csv_export) and printed as a PDF. Diets, PAI and allergy
flags are health data: they are loaded, shown and exported only for staff allowed to
see them, and each child shown that way is written to the health-data access log.

A list costs a fixed number of queries whatever the number of children.
"""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from children.health_access import record_access
from children.models import Child, Health, HealthAccess, School
from portail.lib.csv_export import french_excel_csv, text, yes_no
from portail.lib.pdf import render_pdf

from .models import HOLDING, Activity, Booking, DayCount, Unit
from .rules import Context

VIEW_HEALTH = "children.view_health"
PDF_TEMPLATE = "admin/reservations/daily_list_pdf.html"

# Classes in the order of the school years, then any other name alphabetically.
LEVELS = ["TPS", "PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"]


def class_order(name: str) -> tuple[int, str]:
    upper = name.upper()
    return (LEVELS.index(upper) if upper in LEVELS else len(LEVELS), upper)


def _plain(text: str) -> str:
    """For sorting as a French reader expects: « École é… » between « d » and « f »."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def child_order(child: Child) -> tuple:
    school = _plain(child.school.name).casefold() if child.school_id else "\uffff"  # none: last
    return (
        school,
        class_order(child.school_class),
        _plain(child.last_name).casefold(),
        _plain(child.first_name).casefold(),
        child.pk,
    )


def may_see_health(user) -> bool:
    return user.has_perm(VIEW_HEALTH)


@dataclass(frozen=True)
class Row:
    booking: Booking
    health: Health | None = None

    @property
    def child(self) -> Child:
        return self.booking.child

    @property
    def diets(self) -> list[str]:
        return [str(label) for label in self.health.diet_labels] if self.health else []

    @property
    def allergy(self) -> bool:
        return bool(self.health and self.health.allergies.strip())

    @property
    def pai(self) -> bool:
        return bool(self.health and self.health.pai)


@dataclass
class UnitList:
    unit: Unit
    rows: list[Row] = field(default_factory=list)
    frozen: DayCount | None = None

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def diet_counts(self) -> list[tuple[str, int]]:
        counts = Counter(diet for row in self.rows for diet in row.diets)
        return sorted(counts.items())

    @property
    def pai_count(self) -> int:
        return sum(row.pai for row in self.rows)

    @property
    def allergy_count(self) -> int:
        return sum(row.allergy for row in self.rows)


@dataclass
class DailyList:
    activity: Activity
    day: date
    school: School | None
    with_health: bool
    closed: str | None
    units: list[UnitList]

    @property
    def total(self) -> int:
        return sum(unit.total for unit in self.units)

    @property
    def child_ids(self) -> list[int]:
        return [row.child.pk for unit in self.units for row in unit.rows]


def day_bookings(
    *, activity: Activity, day: date, school: School | None = None, unit: Unit | None = None
) -> QuerySet:
    """The bookings holding a place that day (booked, present, absent, excused)."""
    bookings = Booking.objects.filter(activity=activity, day=day, status__in=HOLDING)
    if unit is not None:
        bookings = bookings.filter(unit=unit)
    if school is not None:
        bookings = bookings.filter(child__school=school)
    return bookings.select_related("child__school", "child__family", "unit")


def build(
    *, activity: Activity, day: date, school: School | None = None, with_health: bool = False
) -> DailyList:
    units = {unit.pk: UnitList(unit) for unit in activity.units.all()}
    bookings = day_bookings(activity=activity, day=day, school=school)
    if with_health:
        bookings = bookings.select_related("child__health")
    for booking in sorted(bookings, key=lambda b: child_order(b.child)):
        health = getattr(booking.child, "health", None) if with_health else None
        units[booking.unit_id].rows.append(Row(booking, health))
    if school is None:  # what was sent to the kitchen counts every school
        for count in DayCount.objects.filter(
            unit__in=list(units), day=day, frozen_at__isnull=False
        ):
            units[count.unit_id].frozen = count
    ctx = Context.load(children=[], activities=[activity], at=timezone.now())
    return DailyList(
        activity=activity,
        day=day,
        school=school,
        with_health=with_health,
        closed=ctx.closed_reason(activity, day),
        units=list(units.values()),
    )


def record_health_access(daily: DailyList, *, by: User, action: str) -> None:
    """Log each child whose health flags were shown, exported or printed."""
    if daily.with_health:
        record_access(staff=by, child_ids=daily.child_ids, action=action)


# --- CSV --------------------------------------------------------------------------------


def header(with_health: bool) -> list[str]:
    columns = ["Unité", "École", "Classe", "Nom", "Prénom", "État"]
    if with_health:
        columns += ["Régimes alimentaires", "Allergie", "PAI"]
    return columns


def to_csv(daily: DailyList, *, by: User) -> bytes:
    lines = [header(daily.with_health)]
    for unit in daily.units:
        for row in unit.rows:
            child = row.child
            cells = [
                text(unit.unit.name),
                text(child.school.name if child.school_id else "Sans école"),
                text(child.school_class),
                text(child.last_name),
                text(child.first_name),
                row.booking.get_status_display(),
            ]
            if daily.with_health:
                cells += [", ".join(row.diets), yes_no(row.allergy), yes_no(row.pai)]
            lines.append(cells)
    record_health_access(daily, by=by, action=HealthAccess.Action.EXPORT)
    return french_excel_csv(lines)


# --- PDF --------------------------------------------------------------------------------


def _pdf_context(daily: DailyList, by: User) -> dict:
    return {
        "daily": daily,
        "commune_name": settings.COMMUNE_NAME,
        "printed_at": timezone.localtime(),
        "printed_by": by.get_full_name() or by.username,
    }


def to_pdf(daily: DailyList, *, by: User) -> bytes:
    pdf = render_pdf(PDF_TEMPLATE, _pdf_context(daily, by))
    record_health_access(daily, by=by, action=HealthAccess.Action.PRINT)
    return pdf


def to_pdf_html(daily: DailyList, *, by: User) -> str:
    """The HTML the PDF is made from (`?html=1`), for checks and tests."""
    html = render_to_string(PDF_TEMPLATE, _pdf_context(daily, by))
    record_health_access(daily, by=by, action=HealthAccess.Action.PRINT)
    return html
