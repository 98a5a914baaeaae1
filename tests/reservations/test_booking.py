"""Booking and cancelling, decided by the server (deadlines, capacity, enrolment)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from messaging.models import Message
from reservations.models import Booking, Closure, DayCount, Status
from reservations.services import book, cancel

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")

# Thursday 3 December 2026: the J-2 10h deadline for it is Tuesday 1 December at 10:00.
THURSDAY = date(2026, 12, 3)
MONDAY_8H = datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)
TUESDAY_11H = datetime(2026, 12, 1, 11, 0, tzinfo=PARIS)


def test_a_parent_books_a_meal_within_the_deadline(enrolled, meal, parent):
    lea = enrolled[0]
    [outcome] = book(items=[(lea, meal, THURSDAY)], by=parent, at=MONDAY_8H)
    assert (outcome.done, outcome.message, outcome.status) == (True, "Réservé", Status.BOOKED)
    booking = Booking.objects.get()
    assert (booking.child, booking.day, booking.created_by) == (lea, THURSDAY, parent)
    assert not booking.by_staff


def test_after_the_deadline_it_is_refused_and_says_since_when(enrolled, meal, parent):
    [outcome] = book(items=[(enrolled[0], meal, THURSDAY)], by=parent, at=TUESDAY_11H)
    assert not outcome.done
    assert outcome.message == "Délai dépassé depuis le mardi 1er décembre à 10h"
    assert not Booking.objects.exists()


def test_staff_book_after_the_deadline_with_a_trace(enrolled, meal, agent):
    [outcome] = book(items=[(enrolled[0], meal, THURSDAY)], by=agent, at=TUESDAY_11H, staff=True)
    assert outcome.done
    booking = Booking.objects.get()
    assert booking.by_staff and booking.after_deadline and booking.created_by == agent


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 12, 5), "Week-end"),
        (date(2026, 12, 2), "Pas d'accueil le mercredi"),
        (date(2026, 12, 22), "Fermé : vacances de noël"),
    ],
)
def test_a_closed_day_says_why(enrolled, meal, parent, day, reason):
    [outcome] = book(items=[(enrolled[0], meal, day)], by=parent, at=MONDAY_8H)
    assert not outcome.done
    assert outcome.message.lower() == reason.lower()


def test_a_closure_entered_by_staff_says_its_reason(enrolled, meal, canteen, parent):
    Closure.objects.create(activity=canteen, start=THURSDAY, end=THURSDAY, reason="Grève")
    [outcome] = book(items=[(enrolled[0], meal, THURSDAY)], by=parent, at=MONDAY_8H)
    assert outcome.message == "Fermé : grève"


def test_a_child_not_enrolled_cannot_be_booked(family, meal, parent):
    [outcome] = book(items=[(family.children.first(), meal, THURSDAY)], by=parent, at=MONDAY_8H)
    assert outcome.message == "Non inscrit"
    assert not Booking.objects.exists()


def test_a_double_submit_books_once(enrolled, meal, parent):
    lea = enrolled[0]
    book(items=[(lea, meal, THURSDAY)], by=parent, at=MONDAY_8H)
    [again] = book(items=[(lea, meal, THURSDAY)], by=parent, at=MONDAY_8H)
    assert (again.done, again.message) == (True, "Déjà réservé")
    assert Booking.objects.count() == 1


def test_several_children_and_days_in_one_submit(enrolled, meal, parent):
    days = [date(2026, 12, 3), date(2026, 12, 4), date(2026, 12, 7), date(2026, 12, 8)]
    outcomes = book(items=[(c, meal, d) for c in enrolled for d in days], by=parent, at=MONDAY_8H)
    assert len(outcomes) == 8 and all(o.done for o in outcomes)
    assert Booking.objects.filter(status=Status.BOOKED).count() == 8


def test_a_full_day_puts_children_on_the_waiting_list_in_order(
    family, alsh, alsh_day, parent, school_year
):
    from tests.reservations.conftest import enrol

    children = [
        family.children.create(first_name=f"E{i}", last_name="M", birth_date=date(2018, 1, 1))
        for i in range(7)
    ]
    enrol(children, alsh, year=school_year)
    day = date(2026, 12, 21)  # Monday of the Christmas holidays
    outcomes = [book(items=[(c, alsh_day, day)], by=parent, at=MONDAY_8H)[0] for c in children]
    assert [o.message for o in outcomes] == ["Réservé"] * 5 + [
        "Complet — liste d'attente (1re)",
        "Complet — liste d'attente (2e)",
    ]
    assert DayCount.objects.get(unit=alsh_day, day=day).booked == 5


def test_a_cancelled_place_goes_to_the_first_in_line_who_is_told(
    family, other_family, alsh, alsh_day, parent, school_year
):
    from tests.reservations.conftest import enrol

    kids = [
        family.children.create(first_name=f"E{i}", last_name="M", birth_date=date(2018, 1, 1))
        for i in range(5)
    ]
    waiting = other_family.children.first()
    enrol([*kids, waiting], alsh, year=school_year)
    day = date(2026, 12, 21)
    for kid in kids:
        book(items=[(kid, alsh_day, day)], by=parent, at=MONDAY_8H)
    book(items=[(waiting, alsh_day, day)], by=parent, at=MONDAY_8H)
    first = Booking.objects.get(child=kids[0])
    [outcome] = cancel(bookings=[first], by=parent, at=MONDAY_8H)
    assert outcome.message == "Annulé"
    assert Booking.objects.get(child=waiting).status == Status.BOOKED
    assert DayCount.objects.get(unit=alsh_day, day=day).booked == 5
    message = Message.objects.get(recipient=other_family)
    assert message.subject == "Place obtenue : ALSH vacances le 21 décembre"


def test_cancelling_after_the_deadline_is_refused(enrolled, meal, parent):
    book(items=[(enrolled[0], meal, THURSDAY)], by=parent, at=MONDAY_8H)
    [outcome] = cancel(bookings=[Booking.objects.get()], by=parent, at=TUESDAY_11H)
    assert not outcome.done
    assert outcome.message == "Délai dépassé depuis le mardi 1er décembre à 10h"
    assert Booking.objects.get().status == Status.BOOKED


def test_staff_may_record_a_late_cancellation(enrolled, meal, parent, agent):
    book(items=[(enrolled[0], meal, THURSDAY)], by=parent, at=MONDAY_8H)
    [outcome] = cancel(
        bookings=[Booking.objects.get()], by=agent, at=TUESDAY_11H, staff=True, late=True
    )
    assert outcome.done
    assert Booking.objects.get().status == Status.LATE_CANCELLED


def test_booking_again_after_a_cancellation_works(enrolled, meal, parent):
    lea = enrolled[0]
    book(items=[(lea, meal, THURSDAY)], by=parent, at=MONDAY_8H)
    cancel(bookings=[Booking.objects.get()], by=parent, at=MONDAY_8H)
    [outcome] = book(items=[(lea, meal, THURSDAY)], by=parent, at=MONDAY_8H)
    assert outcome.message == "Réservé"
    assert Booking.objects.filter(status=Status.BOOKED).count() == 1


def test_the_deadline_holds_in_octobers_repeated_hour(family, alsh, alsh_day, parent, j2_10h):
    """31 October 2027: 02:00–03:00 happens twice; a 02:30 deadline is the first 02:30, so
    the second 02:15 (an hour later in real time) is already past it."""
    from datetime import time

    from reservations.models import SchoolYear
    from tests.reservations.conftest import enrol

    year = SchoolYear.objects.create(
        name="2027-2028", start=date(2027, 9, 1), end=date(2028, 8, 31)
    )
    enrol(family.children.all(), alsh, year=year)
    j2_10h.time = time(2, 30)
    j2_10h.save()
    tuesday = date(2027, 11, 2)  # Toussaint holidays: the ALSH is open; deadline Sun 31 at 02:30
    lea = family.children.first()
    first_0215 = datetime(2027, 10, 31, 2, 15, fold=0, tzinfo=PARIS)
    second_0215 = datetime(2027, 10, 31, 2, 15, fold=1, tzinfo=PARIS)
    [late] = book(items=[(lea, alsh_day, tuesday)], by=parent, at=second_0215)
    assert late.message == "Délai dépassé depuis le dimanche 31 octobre à 2h30"
    [in_time] = book(items=[(lea, alsh_day, tuesday)], by=parent, at=first_0215)
    assert in_time.message == "Réservé"
