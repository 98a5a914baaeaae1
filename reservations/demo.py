"""The demo commune's reservations, dated relative to today. Running it twice changes nothing.

The school year, four deadline rules, the five activities with their units, the demo
children's enrolments, and bookings around today: MARTIN's children eat at the canteen
on Mondays, Tuesdays, Thursdays and Fridays (present in the past weeks, booked for the
coming ones), Léa goes to the ALSH on Wednesdays, DURAND's children eat on Mondays and
Thursdays. Bookings are written directly (no deadline applies to the demo's past), and
a row staff or a parent changed is left as it is.
"""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from children.models import Child, School

from .models import (
    HOLDING,
    Activity,
    Booking,
    DayCount,
    DeadlineRule,
    Enrolment,
    EnrolmentStatus,
    Pattern,
    RuleKind,
    SchoolYear,
    Status,
    Unit,
)
from .rules import Context

WEEKS_BEFORE = 3
WEEKS_AFTER = 3

RULES = {
    "J-2 avant 10h": {"kind": RuleKind.DAYS_BEFORE, "days": 2, "time": time(10, 0)},
    "Jeudi 12h pour la semaine suivante": {
        "kind": RuleKind.PREVIOUS_WEEK,
        "weekday": 3,
        "time": time(12, 0),
    },
    "15 jours avant les vacances": {"kind": RuleKind.BEFORE_PERIOD, "days": 15},
    "Sans délai": {"kind": RuleKind.NONE},
}

# name: (pattern, booking and cancel rule, (min age, max age), units (name, capacity, meal))
ACTIVITIES = {
    "Restauration scolaire": (
        Pattern.SCHOOL_DAYS,
        "J-2 avant 10h",
        (None, None),
        [("Repas", None, True)],
    ),
    "Garderie matin": (
        Pattern.SCHOOL_DAYS,
        "Sans délai",
        (None, None),
        [("Accueil du matin (7h30-8h20)", None, False)],
    ),
    "Garderie soir": (
        Pattern.SCHOOL_DAYS,
        "Sans délai",
        (None, None),
        [
            ("Soir jusqu'à 17h30", None, False),
            ("Soir jusqu'à 18h30", None, False),
        ],
    ),
    "ALSH mercredi": (
        Pattern.WEDNESDAYS,
        "Jeudi 12h pour la semaine suivante",
        (3, 12),
        [
            ("Journée avec repas", 40, True),
            ("Matin avec repas", 20, True),
            ("Matin sans repas", 20, False),
            ("Après-midi sans repas", 20, False),
        ],
    ),
    "ALSH vacances": (
        Pattern.HOLIDAYS,
        "15 jours avant les vacances",
        (3, 12),
        [
            ("Journée avec repas", 60, True),
            ("Matin sans repas", 20, False),
        ],
    ),
}

# first name → activities enrolled in (validated), then one still to decide
ENROLMENTS = {
    "Léa": ["Restauration scolaire", "Garderie soir", "ALSH mercredi", "ALSH vacances"],
    "Hugo": ["Restauration scolaire", "Garderie soir", "ALSH vacances"],
    "Inès": ["Restauration scolaire", "Garderie matin"],
    "Tom": ["Restauration scolaire", "Garderie matin"],
}
REQUESTED = [("Tom", "ALSH mercredi")]


def school_year_bounds(today: date) -> tuple[date, date]:
    """From 1 September of the current school year to the next 31 August."""
    year = today.year if today.month >= 9 else today.year - 1
    return date(year, 9, 1), date(year + 1, 8, 31)


def _school_year(today: date) -> SchoolYear:
    start, end = school_year_bounds(today)
    year, _ = SchoolYear.objects.get_or_create(
        name=f"{start.year}-{end.year}", defaults={"start": start, "end": end}
    )
    return year


def _rules() -> dict[str, DeadlineRule]:
    return {
        name: DeadlineRule.objects.get_or_create(name=name, defaults=fields)[0]
        for name, fields in RULES.items()
    }


def _activities(rules: dict[str, DeadlineRule]) -> dict[str, Activity]:
    schools = list(School.objects.all())
    activities = {}
    for position, (name, (pattern, rule, ages, units)) in enumerate(ACTIVITIES.items()):
        activity, created = Activity.objects.get_or_create(
            name=name,
            defaults={
                "pattern": pattern,
                "booking_rule": rules[rule],
                "cancel_rule": rules[rule],
                "min_age": ages[0],
                "max_age": ages[1],
                "position": position,
            },
        )
        if created and pattern == Pattern.SCHOOL_DAYS:
            activity.schools.set(schools)  # the commune's schools, as staff would tick them
        for unit_position, (unit_name, capacity, meal) in enumerate(units):
            Unit.objects.get_or_create(
                activity=activity,
                name=unit_name,
                defaults={"capacity": capacity, "includes_meal": meal, "position": unit_position},
            )
        activities[name] = activity
    return activities


def _children() -> dict[str, Child]:
    return {
        child.first_name: child
        for child in Child.objects.filter(
            family__name__in=["MARTIN", "DURAND"], first_name__in=list(ENROLMENTS)
        )
    }


def _enrol(children, activities, year) -> None:
    decided = timezone.make_aware(datetime.combine(year.start - timedelta(days=10), time(9, 0)))
    wanted = [
        (child, name, EnrolmentStatus.VALIDATED)
        for first_name, names in ENROLMENTS.items()
        if (child := children.get(first_name))
        for name in names
    ] + [
        (child, name, EnrolmentStatus.REQUESTED)
        for first_name, name in REQUESTED
        if (child := children.get(first_name))
    ]
    for child, name, status in wanted:
        validated = status == EnrolmentStatus.VALIDATED
        Enrolment.objects.get_or_create(
            child=child,
            activity=activities[name],
            school_year=year,
            defaults={
                "status": status,
                "requested_at": decided - timedelta(days=20) if validated else decided,
                "decided_at": decided if validated else None,
            },
        )


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def _bookings(children, activities, today: date) -> None:
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=WEEKS_BEFORE)
    end = monday + timedelta(weeks=WEEKS_AFTER + 1) - timedelta(days=1)
    canteen = activities["Restauration scolaire"]
    wednesdays = activities["ALSH mercredi"]
    meal = canteen.units.get(name="Repas")
    wednesday_day = wednesdays.units.get(name="Journée avec repas")
    plan = {  # first name → [(unit, weekdays)]
        "Léa": [(meal, {0, 1, 3, 4}), (wednesday_day, {2})],
        "Hugo": [(meal, {0, 1, 3, 4})],
        "Inès": [(meal, {0, 3})],
        "Tom": [(meal, {0, 3})],
    }
    ctx = Context.load(children=[], activities=[canteen, wednesdays], at=timezone.now())
    # Any row, even cancelled, means someone dealt with that day: it is left alone.
    existing = set(
        Booking.objects.filter(
            child__in=list(children.values()), day__range=(start, end)
        ).values_list("child_id", "activity_id", "day")
    )
    new = []
    for first_name, units in plan.items():
        child = children.get(first_name)
        if child is None:
            continue
        for unit, weekdays in units:
            for day in _days(start, end):
                if day.weekday() not in weekdays or ctx.closed_reason(unit.activity, day):
                    continue
                if (child.pk, unit.activity_id, day) in existing:
                    continue
                new.append(
                    Booking(
                        child=child,
                        activity=unit.activity,
                        unit=unit,
                        day=day,
                        status=Status.PRESENT if day < today else Status.BOOKED,
                        created_at=timezone.make_aware(
                            datetime.combine(day - timedelta(days=14), time(20, 30))
                        ),
                    )
                )
    Booking.objects.bulk_create(new)
    _count(wednesday_day, start, end)


def _count(unit: Unit, start: date, end: date) -> None:
    """The day counters of a unit with a capacity agree with its bookings."""
    taken = dict(
        Booking.objects.filter(unit=unit, day__range=(start, end), status__in=HOLDING)
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    counts = {c.day: c for c in DayCount.objects.filter(unit=unit, day__in=list(taken))}
    for day, n in taken.items():
        count = counts.get(day)
        if count is None:
            DayCount.objects.create(unit=unit, day=day, booked=n)
        elif count.booked != n:
            count.booked = n
            count.save(update_fields=["booked"])


@transaction.atomic
def seed_reservations(today: date | None = None) -> None:
    today = today or timezone.localdate()
    year = _school_year(today)
    activities = _activities(_rules())
    children = _children()
    _enrol(children, activities, year)
    _bookings(children, activities, today)
