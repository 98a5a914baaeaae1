"""lock_reservations (cron): once a day's deadline has passed, its count is frozen, once."""

import re
from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reservations.models import DayCount, Status
from tests.reservations.commands import run, run_together
from tests.reservations.conftest import enrol
from tests.reservations.staff import PARIS, book_directly, make_children

# Monday 30 November 2026, 11:00: with « J-2 avant 10h », today and Tuesday 1 December are
# past their deadline (Wednesday has no canteen); Thursday 3 December is still open.
NOW = datetime(2026, 11, 30, 11, 0, tzinfo=PARIS)
MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bookings(enrolled, meal):
    lea, hugo = enrolled
    book_directly(lea, meal, MONDAY)
    book_directly(lea, meal, TUESDAY)
    book_directly(hugo, meal, TUESDAY)
    book_directly(hugo, meal, MONDAY, status=Status.CANCELLED)  # not counted
    book_directly(hugo, meal, date(2026, 12, 3))  # still open: not frozen


def frozen() -> dict:
    return {
        c.day: (c.frozen_count, c.frozen_at)
        for c in DayCount.objects.filter(frozen_at__isnull=False)
    }


def frozen_days(output: str) -> int:
    return int(re.search(r"(\d+) jour\(s\)", output).group(1))


@pytest.mark.django_db
def test_days_past_their_deadline_are_frozen_with_their_count(bookings, meal):
    output = run("lock_reservations")

    assert frozen() == {MONDAY: (1, NOW), TUESDAY: (2, NOW)}
    assert "Restauration scolaire — Repas — lundi 30 novembre 2026 : 1" in output
    assert "Restauration scolaire — Repas — mardi 1 décembre 2026 : 2" in output
    assert output.strip().endswith("2 jour(s) figé(s).")


@pytest.mark.django_db
def test_a_second_run_changes_nothing_even_if_a_booking_came_after(bookings, meal, family, agent):
    run("lock_reservations")
    before = frozen()
    book_directly(family.children.get(first_name="Hugo"), meal, MONDAY, by_staff=True)

    with time_machine.travel(datetime(2026, 11, 30, 11, 15, tzinfo=PARIS), tick=False):
        output = run("lock_reservations")

    assert frozen() == before  # the kitchen's number is the one sent at the deadline
    assert output.strip() == "0 jour(s) figé(s)."


@pytest.mark.django_db
def test_dry_run_says_what_would_be_frozen_and_changes_nothing(bookings):
    output = run("lock_reservations", "--dry-run")

    assert "2 jour(s) seraient figés." in output
    assert not DayCount.objects.exists()


@pytest.mark.django_db
def test_a_day_is_frozen_at_its_deadline_not_a_minute_before(bookings):
    # Monday 30's deadline is Saturday 28 November at 10:00.
    with time_machine.travel(datetime(2026, 11, 28, 9, 59, tzinfo=PARIS), tick=False):
        assert run("lock_reservations").strip() == "0 jour(s) figé(s)."
    at_ten = datetime(2026, 11, 28, 10, 0, tzinfo=PARIS)
    with time_machine.travel(at_ten, tick=False):
        assert run("lock_reservations").strip().endswith("1 jour(s) figé(s).")
    assert frozen() == {MONDAY: (1, at_ten)}


@pytest.mark.django_db
def test_the_command_costs_the_same_queries_for_2_or_60_children(
    meal, canteen, school, school_year, enrolled
):
    for child in enrolled:
        book_directly(child, meal, TUESDAY)
    with CaptureQueriesContext(connection) as few:
        run("lock_reservations", "--dry-run")
    children = make_children(60, school=school)
    enrol(children, canteen, year=school_year)
    for child in children:
        book_directly(child, meal, TUESDAY)

    with CaptureQueriesContext(connection) as many:
        output = run("lock_reservations", "--dry-run")

    assert "mardi 1 décembre 2026 : 62" in output
    assert len(many) == len(few)


@pytest.mark.django_db(transaction=True)
def test_two_servers_at_once_freeze_each_day_once(bookings):
    outputs = run_together("lock_reservations")

    assert frozen() == {MONDAY: (1, NOW), TUESDAY: (2, NOW)}
    reported = [frozen_days(o) for o in outputs if "autre passage" not in o]
    assert sum(reported) == 2  # one run froze both days; the other found nothing to do
