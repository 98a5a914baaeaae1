"""Pointage: present / absent for a day and a unit, and children present without booking."""

from datetime import timedelta

import pytest
import time_machine

from children.models import Child
from messaging.models import Message
from reservations.attendance import AttendanceError, add_unbooked, record_attendance
from reservations.models import Booking, Closure, DayCount, Status
from tests.helpers import page_text
from tests.reservations import staff as reservations_staff
from tests.reservations.conftest import enrol
from tests.reservations.staff import (
    THURSDAY,
    THURSDAY_9H,
    book_directly,
    bulk_booked,
    make_children,
)

pytestmark = pytest.mark.django_db

accountant = reservations_staff.accountant
accountant_client = reservations_staff.accountant_client

URL = "/admin/reservations/booking/pointage/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(THURSDAY_9H, tick=False):
        yield


@pytest.fixture
def booked(enrolled, meal):
    lea, hugo = enrolled
    return book_directly(lea, meal, THURSDAY), book_directly(hugo, meal, THURSDAY)


def page_url(meal, day=THURSDAY) -> str:
    return f"{URL}?day={day.isoformat()}&unit={meal.pk}"


# --- the services ------------------------------------------------------------------------


def test_attendance_marks_each_child_present_or_absent(booked, meal, agent):
    lea, hugo = booked
    saved = record_attendance(
        unit=meal, day=THURSDAY, presence={lea.pk: True, hugo.pk: False}, by=agent
    )
    assert (saved.present, saved.absent, saved.changed) == (1, 1, 2)
    lea.refresh_from_db()
    hugo.refresh_from_db()
    assert (lea.status, hugo.status) == (Status.PRESENT, Status.ABSENT)


def test_a_second_identical_pointage_changes_nothing(booked, meal, agent):
    presence = {b.pk: True for b in booked}
    record_attendance(unit=meal, day=THURSDAY, presence=presence, by=agent)
    again = record_attendance(unit=meal, day=THURSDAY, presence=presence, by=agent)
    assert again.changed == 0


def test_bookings_of_another_day_or_unit_are_out_of_reach(booked, meal, alsh_day, agent):
    other_day = book_directly(booked[0].child, meal, THURSDAY - timedelta(days=1))
    record_attendance(unit=meal, day=THURSDAY, presence={other_day.pk: False}, by=agent)
    other_day.refresh_from_db()
    assert other_day.status == Status.BOOKED


def test_a_justified_absence_is_not_overwritten(booked, meal, agent):
    lea = booked[0]
    Booking.objects.filter(pk=lea.pk).update(status=Status.EXCUSED)
    record_attendance(unit=meal, day=THURSDAY, presence={lea.pk: True}, by=agent)
    lea.refresh_from_db()
    assert lea.status == Status.EXCUSED


def test_attendance_is_not_taken_ahead(booked, meal, agent):
    tomorrow = THURSDAY + timedelta(days=1)
    booking = book_directly(booked[0].child, meal, tomorrow)
    with pytest.raises(AttendanceError, match="pas encore arrivé"):
        record_attendance(unit=meal, day=tomorrow, presence={booking.pk: False}, by=agent)
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


def test_a_child_present_without_booking_is_recorded_with_a_trace(enrolled, meal, agent):
    booking = add_unbooked(child=enrolled[0], unit=meal, day=THURSDAY, by=agent)
    assert booking.status == Status.PRESENT
    assert booking.unbooked and booking.by_staff and booking.after_deadline
    assert booking.created_by == agent


def test_present_without_booking_takes_a_place_even_on_a_full_day(
    family, alsh, alsh_day, school_year, agent
):
    day = THURSDAY + timedelta(days=18)  # Monday 21 December: vacances de Noël
    enrol(family.children.all(), alsh, year=school_year)
    DayCount.objects.create(unit=alsh_day, day=day, booked=5)
    lea = family.children.get(first_name="Léa")
    with time_machine.travel(day, tick=False):
        add_unbooked(child=lea, unit=alsh_day, day=day, by=agent)
    assert DayCount.objects.get(unit=alsh_day, day=day).booked == 6


def test_a_child_already_booked_is_simply_marked_present(booked, meal, agent):
    lea = booked[0]
    again = add_unbooked(child=lea.child, unit=meal, day=THURSDAY, by=agent)
    assert again.pk == lea.pk and again.status == Status.PRESENT and not again.unbooked
    assert Booking.objects.filter(child=lea.child, day=THURSDAY).count() == 1


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("not_enrolled", "Non inscrit"),
        ("closed", "Fermé : grève"),
    ],
)
def test_present_without_booking_still_needs_an_open_day_and_an_enrolment(
    family, canteen, meal, school_year, agent, setup, message
):
    lea = family.children.get(first_name="Léa")
    if setup == "closed":
        enrol([lea], canteen, year=school_year)
        Closure.objects.create(activity=canteen, start=THURSDAY, end=THURSDAY, reason="Grève")
    with pytest.raises(AttendanceError, match=message):
        add_unbooked(child=lea, unit=meal, day=THURSDAY, by=agent)
    assert not Booking.objects.exists()


# --- the page ------------------------------------------------------------------------------


def test_the_page_lists_the_children_present_by_default(agent_client, booked, meal):
    response = agent_client.get(page_url(meal))

    page = page_text(response)
    assert response.status_code == 200
    assert "Restauration scolaire — Repas — jeudi 3 décembre 2026" in page
    assert "2 enfants attendus — présent par défaut" in page
    for booking in booked:
        assert f'name="presence-{booking.pk}" value="present" checked' in page


def test_staff_save_the_pointage_in_a_few_clicks(agent_client, booked, meal):
    lea, hugo = booked
    response = agent_client.post(
        page_url(meal), {f"presence-{lea.pk}": "present", f"presence-{hugo.pk}": "absent"}
    )

    assert response.status_code == 302 and response["Location"] == page_url(meal)
    statuses = dict(Booking.objects.values_list("child__first_name", "status"))
    assert statuses == {"Léa": Status.PRESENT, "Hugo": Status.ABSENT}
    page = page_text(agent_client.get(response["Location"]))
    assert "Pointage enregistré : 1 présent(s), 1 absent(s)." in page
    assert f'name="presence-{hugo.pk}" value="absent" checked' in page


def test_staff_add_a_child_present_without_booking(
    agent_client, agent, booked, meal, other_family, canteen, school_year
):
    ines = other_family.children.get()
    enrol([ines], canteen, year=school_year)
    page = page_text(agent_client.get(page_url(meal)))
    assert "DURAND Inès, CM1" in page  # enrolled, not on the list yet

    response = agent_client.post(page_url(meal), {"add": "1", "child": ines.pk})

    assert response.status_code == 302
    booking = Booking.objects.get(child=ines)
    assert (booking.status, booking.unbooked, booking.created_by) == (
        Status.PRESENT,
        True,
        agent,
    )
    assert "Inès DURAND : présent(e) sans réservation." in page_text(
        agent_client.get(response["Location"])
    )


def test_a_child_not_enrolled_cannot_be_slipped_in(agent_client, booked, meal, db):
    stranger = Child.objects.create(
        family=booked[0].child.family, first_name="Zoé", last_name="X", birth_date=THURSDAY
    )
    response = agent_client.post(page_url(meal), {"add": "1", "child": stranger.pk})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not Booking.objects.filter(child=stranger).exists()


def test_a_future_day_is_shown_but_not_saved(agent_client, enrolled, meal):
    tomorrow = THURSDAY + timedelta(days=1)
    booking = book_directly(enrolled[0], meal, tomorrow)
    page = page_text(agent_client.get(page_url(meal, tomorrow)))
    assert "Ce jour n'est pas encore arrivé" in page

    response = agent_client.post(page_url(meal, tomorrow), {f"presence-{booking.pk}": "absent"})

    booking.refresh_from_db()
    assert booking.status == Status.BOOKED
    assert "pas encore arrivé" in page_text(agent_client.get(response["Location"]))
    assert not Message.objects.exists()


def test_accounting_staff_cannot_take_attendance(accountant_client, booked, meal):
    assert accountant_client.get(page_url(meal)).status_code == 403
    assert accountant_client.post(page_url(meal), {}).status_code == 403


def test_the_page_costs_the_same_queries_whatever_the_number_of_children(
    agent_client, meal, canteen, school, school_year, django_assert_max_num_queries
):
    bulk_booked(make_children(40, school=school), meal, THURSDAY, year=school_year)
    with django_assert_max_num_queries(14):
        response = agent_client.get(page_url(meal))
    assert len(response.context["rows"]) == 40
