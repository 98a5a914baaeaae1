"""« Réserver / annuler pour une famille »: staff bypass deadlines, and it is traced."""

from datetime import date, datetime

import pytest
import time_machine

from reservations.models import Booking, DayCount, Status
from tests.helpers import page_text
from tests.reservations import staff as reservations_staff
from tests.reservations.staff import PARIS, THURSDAY, book_directly

pytestmark = pytest.mark.django_db

accountant = reservations_staff.accountant
accountant_client = reservations_staff.accountant_client

URL = "/admin/reservations/booking/pour-une-famille/"
# Wednesday 2 December 2026 at 11:00: J-2 10h has passed for Thursday 3 and Friday 4.
TOO_LATE_FOR_FAMILIES = datetime(2026, 12, 2, 11, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(TOO_LATE_FOR_FAMILIES, tick=False):
        yield


def form(child, unit, start, end="", action="book", **extra) -> dict:
    return {
        "child": child.pk,
        "unit": unit.pk,
        "start": start.isoformat(),
        "end": end.isoformat() if end else "",
        "weekdays": ["0", "1", "2", "3", "4"],
        "action": action,
        **extra,
    }


def shown(client, response) -> str:
    assert response.status_code == 302 and response["Location"] == URL
    return page_text(client.get(URL))


def test_staff_book_after_the_families_deadline_with_a_trace(agent_client, agent, enrolled, meal):
    lea = enrolled[0]

    response = agent_client.post(URL, form(lea, meal, THURSDAY, date(2026, 12, 4)))

    page = shown(agent_client, response)
    assert "Léa MARTIN — Repas — jeudi 3 décembre 2026 : Réservé" in page
    assert "Léa MARTIN — Repas — vendredi 4 décembre 2026 : Réservé" in page
    bookings = Booking.objects.filter(child=lea).order_by("day")
    assert [(b.day, b.status) for b in bookings] == [
        (THURSDAY, Status.BOOKED),
        (date(2026, 12, 4), Status.BOOKED),
    ]
    assert all(b.by_staff and b.after_deadline and b.created_by == agent for b in bookings)


def test_closed_days_of_a_range_say_why(agent_client, enrolled, meal):
    response = agent_client.post(URL, form(enrolled[0], meal, date(2026, 12, 1), THURSDAY))

    page = shown(agent_client, response)
    assert "mercredi 2 décembre 2026 : Pas d'accueil le mercredi" in page
    assert Booking.objects.count() == 2  # Tuesday 1 and Thursday 3


def test_only_the_weekdays_ticked_are_booked(agent_client, enrolled, meal):
    data = form(enrolled[0], meal, date(2026, 12, 7), date(2026, 12, 18), weekdays=["0", "3"])
    agent_client.post(URL, data)
    assert sorted(b.day.day for b in Booking.objects.all()) == [7, 10, 14, 17]


def test_a_full_day_puts_the_child_on_the_waiting_list_even_for_staff(
    agent_client, enrolled, alsh_day
):
    holiday = date(2026, 12, 21)
    DayCount.objects.create(unit=alsh_day, day=holiday, booked=5)

    page = shown(agent_client, agent_client.post(URL, form(enrolled[0], alsh_day, holiday)))

    assert "Complet — liste d'attente (1re)" in page
    assert Booking.objects.get().status == Status.WAITING


def test_a_child_not_enrolled_is_refused_and_nothing_is_booked(agent_client, other_family, meal):
    ines = other_family.children.get()
    page = shown(agent_client, agent_client.post(URL, form(ines, meal, THURSDAY)))
    assert "Inès DURAND — Repas — jeudi 3 décembre 2026 : Non inscrit" in page
    assert not Booking.objects.exists()


def test_staff_cancel_after_the_deadline_and_may_bill_it_as_late(
    agent_client, agent, enrolled, meal
):
    lea = enrolled[0]
    thursday = book_directly(lea, meal, THURSDAY)
    friday = book_directly(lea, meal, date(2026, 12, 4))

    agent_client.post(URL, form(lea, meal, THURSDAY, action="cancel"))
    response = agent_client.post(
        URL, form(lea, meal, date(2026, 12, 4), action="cancel", late="on")
    )

    assert "vendredi 4 décembre 2026 : Annulé" in shown(agent_client, response)
    thursday.refresh_from_db()
    friday.refresh_from_db()
    assert (thursday.status, thursday.cancelled_by) == (Status.CANCELLED, agent)
    assert (friday.status, friday.cancelled_by) == (Status.LATE_CANCELLED, agent)


def test_cancelling_a_day_without_booking_says_so(agent_client, enrolled, meal):
    response = agent_client.post(URL, form(enrolled[0], meal, THURSDAY, action="cancel"))
    assert "jeudi 3 décembre 2026 : aucune réservation." in shown(agent_client, response)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"end": "2026-12-01"}, "La fin de la période précède son début."),
        ({"end": "2027-06-30"}, "Trois mois au plus à la fois"),
        ({"late": "on"}, "ne vaut que pour une annulation"),
        ({"start": "lundi"}, "Saisissez une date valide."),
        ({"unit": "999999"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_is_explained_and_changes_nothing(agent_client, enrolled, meal, changes, error):
    response = agent_client.post(URL, {**form(enrolled[0], meal, THURSDAY), **changes})
    assert response.status_code == 200
    assert error in page_text(response)
    assert not Booking.objects.exists()


def test_the_child_is_found_by_the_admin_autocomplete(agent_client, enrolled):
    page = page_text(agent_client.get(URL))
    assert "admin-autocomplete" in page and "select2" in page

    response = agent_client.get(
        "/admin/autocomplete/",
        {"app_label": "reservations", "model_name": "booking", "field_name": "child", "term": "Lé"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Léa MARTIN"]


def test_accounting_staff_cannot_book_for_a_family(accountant_client, enrolled, meal):
    assert accountant_client.get(URL).status_code == 403
    assert accountant_client.post(URL, form(enrolled[0], meal, THURSDAY)).status_code == 403
    assert not Booking.objects.exists()


def test_get_is_the_form_and_put_is_not_allowed(agent_client):
    assert agent_client.get(URL).status_code == 200
    assert agent_client.put(URL).status_code == 405
