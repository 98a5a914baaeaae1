"""The demo's reservations: dated relative to today, and a second run changes nothing."""

from datetime import date, time, timedelta

import pytest
import time_machine

from portail.demo import seed_demo
from reservations.demo import seed_reservations
from reservations.models import (
    Activity,
    Booking,
    DayCount,
    DeadlineRule,
    Enrolment,
    EnrolmentStatus,
    SchoolYear,
    Status,
    Unit,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)  # a Thursday of term time, zone B


@pytest.fixture
def demo():
    with time_machine.travel(date(2026, 11, 26), tick=False):
        seed_demo(TODAY)
        seed_reservations(TODAY)
        yield


def snapshot() -> dict:
    return {
        model.__name__: sorted(model.objects.values_list(*fields))
        for model, fields in {
            SchoolYear: ("name", "start", "end"),
            DeadlineRule: ("name", "kind", "days", "time", "weekday"),
            Activity: ("name", "pattern", "min_age", "max_age", "booking_rule__name"),
            Unit: ("activity__name", "name", "capacity", "includes_meal"),
            Enrolment: ("child__first_name", "activity__name", "status"),
            Booking: ("child__first_name", "unit__name", "day", "status", "created_at"),
            DayCount: ("unit__name", "day", "booked"),
        }.items()
    }


def test_the_current_school_year_and_the_four_rules(demo):
    year = SchoolYear.objects.get()
    assert (year.name, year.start, year.end) == ("2026-2027", date(2026, 9, 1), date(2027, 8, 31))
    rules = {r.name: r for r in DeadlineRule.objects.all()}
    assert set(rules) == {
        "J-2 avant 10h",
        "Jeudi 12h pour la semaine suivante",
        "15 jours avant les vacances",
        "Sans délai",
    }
    thursday = rules["Jeudi 12h pour la semaine suivante"]
    assert (thursday.kind, thursday.weekday, thursday.time) == ("previous_week", 3, time(12))
    before_holidays = rules["15 jours avant les vacances"]
    assert (before_holidays.kind, before_holidays.days) == ("before_period", 15)


def test_the_five_activities_with_their_units_and_capacities(demo):
    assert list(Activity.objects.values_list("name", flat=True)) == [
        "Restauration scolaire",
        "Garderie matin",
        "Garderie soir",
        "ALSH mercredi",
        "ALSH vacances",
    ]
    units = {(u.activity.name, u.name): u.capacity for u in Unit.objects.select_related("activity")}
    assert units[("ALSH mercredi", "Journée avec repas")] == 40
    assert units[("ALSH mercredi", "Matin sans repas")] == 20
    assert units[("ALSH vacances", "Journée avec repas")] == 60
    assert units[("Restauration scolaire", "Repas")] is None
    assert all(cap is None for (activity, _), cap in units.items() if "Garderie" in activity)
    canteen = Activity.objects.get(name="Restauration scolaire")
    assert canteen.schools.count() == 2


def test_the_demo_children_are_enrolled_and_one_request_waits_for_staff(demo):
    validated = set(
        Enrolment.objects.filter(status=EnrolmentStatus.VALIDATED).values_list(
            "child__first_name", "activity__name"
        )
    )
    for child in ("Léa", "Hugo", "Inès", "Tom"):
        assert (child, "Restauration scolaire") in validated
    assert list(
        Enrolment.objects.filter(status=EnrolmentStatus.REQUESTED).values_list(
            "child__first_name", "activity__name"
        )
    ) == [("Tom", "ALSH mercredi")]


def test_martin_eats_four_days_a_week_present_before_today_booked_after(demo):
    # The weeks around today come from the reservations demo; the billing demo adds the
    # months already invoiced (with an excused day, a late cancellation…) before them.
    meals = Booking.objects.filter(
        child__first_name="Léa", unit__name="Repas", day__gte=TODAY - timedelta(weeks=3)
    )
    days = sorted(meals.values_list("day", flat=True))
    assert {day.weekday() for day in days} == {0, 1, 3, 4}
    assert days[-1] >= TODAY + timedelta(weeks=2)
    assert {b.status for b in meals if b.day < TODAY} == {Status.PRESENT}
    assert {b.status for b in meals if b.day >= TODAY} == {Status.BOOKED}
    assert not meals.filter(day=date(2026, 11, 11)).exists()  # Armistice: a jour férié
    assert not meals.filter(day__gte=date(2026, 12, 19)).exists()  # vacances de Noël
    upcoming = Booking.objects.filter(child__family__name="MARTIN", day__gte=TODAY)
    assert upcoming.filter(child__first_name="Hugo").exists()


def test_the_wednesday_counters_agree_with_the_bookings(demo):
    for count in DayCount.objects.select_related("unit"):
        holding = Booking.objects.filter(unit=count.unit, day=count.day).holding().count()
        assert count.booked == holding


def test_a_second_run_changes_nothing(demo):
    before = snapshot()
    with time_machine.travel(date(2026, 11, 26), tick=False):
        seed_reservations(TODAY)
    assert snapshot() == before


def test_a_booking_someone_cancelled_is_not_booked_again(demo):
    booking = Booking.objects.filter(day__gt=TODAY).first()
    Booking.objects.filter(pk=booking.pk).update(status=Status.CANCELLED)
    with time_machine.travel(date(2026, 11, 26), tick=False):
        seed_reservations(TODAY)
    assert not Booking.objects.filter(
        child=booking.child, activity=booking.activity, day=booking.day
    ).live()
