"""promote_waitlist (cron): a place freed goes to the first on the waiting list, once."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Family
from children.models import Child
from messaging.models import Kind, Message
from reservations.models import Booking, DayCount, Status
from reservations.services import book
from tests.reservations.commands import run, run_together
from tests.reservations.conftest import enrol
from tests.reservations.staff import PARIS

BOOKED_AT = datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
HOLIDAY = date(2026, 12, 21)  # Monday, vacances de Noël


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def waiting(alsh, alsh_day, school, school_year, agent):
    """Five places taken by five families, two more families waiting in order; then one
    place is freed without promotion (a staff correction), for the cron to hand over."""
    families = [Family.objects.create(name=f"FAMILLE{i}") for i in range(7)]
    children = [
        Child.objects.create(
            family=f, first_name="Zoé", last_name=f.name, birth_date=date(2018, 5, 1), school=school
        )
        for f in families
    ]
    enrol(children, alsh, year=school_year)
    for n, child in enumerate(children):  # one after the other: the order is known
        book(items=[(child, alsh_day, HOLIDAY)], by=agent, at=BOOKED_AT.replace(minute=n))
    first = Booking.objects.filter(status=Status.BOOKED).order_by("pk").first()
    Booking.objects.filter(pk=first.pk).update(status=Status.CANCELLED)
    DayCount.objects.filter(unit=alsh_day, day=HOLIDAY).update(booked=4)
    return children


def statuses(children) -> list[str]:
    by_child = dict(Booking.objects.live().values_list("child_id", "status"))
    return [by_child.get(child.pk) for child in children]


@pytest.mark.django_db
def test_the_first_waiting_child_gets_the_freed_place_and_the_family_is_told(waiting, alsh_day):
    output = run("promote_waitlist")

    assert output.strip() == "1 place(s) attribuée(s) depuis la liste d'attente."
    assert statuses(waiting)[5:] == [Status.BOOKED, Status.WAITING]
    assert DayCount.objects.get(unit=alsh_day, day=HOLIDAY).booked == 5
    message = Message.objects.get()
    assert message.recipient.name == "FAMILLE5" and message.kind == Kind.WAITLIST
    assert message.subject == "Place obtenue : ALSH vacances le 21 décembre"


@pytest.mark.django_db
def test_a_second_run_changes_nothing(waiting):
    run("promote_waitlist")
    before = statuses(waiting)

    assert run("promote_waitlist").strip().startswith("0 place(s)")
    assert statuses(waiting) == before
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_dry_run_counts_and_changes_nothing(waiting, alsh_day):
    output = run("promote_waitlist", "--dry-run")

    assert output.strip() == "1 place(s) seraient attribuées (simulation)."
    assert statuses(waiting)[5:] == [Status.WAITING, Status.WAITING]
    assert DayCount.objects.get(unit=alsh_day, day=HOLIDAY).booked == 4
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_past_day_is_never_promoted(waiting):
    with time_machine.travel(datetime(2026, 12, 22, 9, 0, tzinfo=PARIS), tick=False):
        assert run("promote_waitlist").strip().startswith("0 place(s)")
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_servers_at_once_give_the_place_once(waiting, alsh_day):
    run_together("promote_waitlist")

    assert statuses(waiting)[5:] == [Status.BOOKED, Status.WAITING]
    assert DayCount.objects.get(unit=alsh_day, day=HOLIDAY).booked == 5
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_the_command_costs_the_same_queries_for_a_short_or_a_long_waiting_list(
    waiting, alsh, alsh_day, school, school_year, agent
):
    with CaptureQueriesContext(connection) as short:
        run("promote_waitlist", "--dry-run")
    more = [
        Child.objects.create(
            family=Family.objects.create(name=f"AUTRE{i}"),
            first_name="Tim",
            last_name="AUTRE",
            birth_date=date(2018, 5, 1),
        )
        for i in range(30)
    ]
    enrol(more, alsh, year=school_year)
    book(items=[(c, alsh_day, HOLIDAY) for c in more], by=agent, at=BOOKED_AT)

    with CaptureQueriesContext(connection) as long:
        run("promote_waitlist", "--dry-run")

    assert len(long) == len(short)
