"""Staff set up the service: school years, deadline rules, activities and units, closures;
bookings and day counters are read, never edited by hand."""

from datetime import date

import pytest

from children.models import School
from reservations.models import (
    Activity,
    Closure,
    DayCount,
    DeadlineRule,
    Pattern,
    SchoolYear,
    Status,
)
from tests.helpers import page_text
from tests.reservations import staff as reservations_staff
from tests.reservations.staff import THURSDAY, book_directly, bulk_booked, make_children

pytestmark = pytest.mark.django_db

accountant = reservations_staff.accountant
accountant_client = reservations_staff.accountant_client


def test_deadline_rules_are_listed_as_families_read_them(agent_client, j2_10h):
    DeadlineRule.objects.create(name="Jeudi 12h", kind="previous_week", weekday=3, time="12:00")

    page = page_text(agent_client.get("/admin/reservations/deadlinerule/"))

    assert "Au plus tard 2 jours avant, à 10h" in page
    assert "Au plus tard le jeudi de la semaine précédente, à 12h" in page


def test_a_previous_week_rule_needs_its_weekday(agent_client):
    response = agent_client.post(
        "/admin/reservations/deadlinerule/add/",
        {"name": "Semaine d'avant", "kind": "previous_week", "days": 0, "time": "12:00"},
    )
    assert response.status_code == 200
    assert "Choisissez le jour de la semaine précédente." in page_text(response)
    assert not DeadlineRule.objects.exists()


def test_staff_create_an_activity_with_its_units_schools_and_ages(agent_client, j2_10h, school):
    other = School.objects.create(name="École Pasteur")
    data = {
        "name": "ALSH mercredi",
        "pattern": Pattern.WEDNESDAYS,
        "position": 3,
        "active": "on",
        "schools": [school.pk, other.pk],
        "min_age": 3,
        "max_age": 12,
        "booking_rule": j2_10h.pk,
        "cancel_rule": j2_10h.pk,
        "enrolment_needs_validation": "on",
        "units-TOTAL_FORMS": 2,
        "units-INITIAL_FORMS": 0,
        "units-0-name": "Journée avec repas",
        "units-0-capacity": 40,
        "units-0-includes_meal": "on",
        "units-0-position": 0,
        "units-1-name": "Matin sans repas",
        "units-1-capacity": 20,
        "units-1-position": 1,
    }

    response = agent_client.post("/admin/reservations/activity/add/", data)

    assert response.status_code == 302
    activity = Activity.objects.get(name="ALSH mercredi")
    assert (activity.min_age, activity.max_age) == (3, 12)
    assert set(activity.schools.all()) == {school, other}
    assert [(u.name, u.capacity, u.includes_meal) for u in activity.units.all()] == [
        ("Journée avec repas", 40, True),
        ("Matin sans repas", 20, False),
    ]
    page = page_text(agent_client.get("/admin/reservations/activity/"))
    assert "École Jules-Ferry, École Pasteur" in page


def test_ages_in_the_wrong_order_are_refused(agent_client, j2_10h):
    response = agent_client.post(
        "/admin/reservations/activity/add/",
        {
            "name": "ALSH",
            "pattern": Pattern.HOLIDAYS,
            "position": 0,
            "min_age": 12,
            "max_age": 3,
            "booking_rule": j2_10h.pk,
            "cancel_rule": j2_10h.pk,
            "units-TOTAL_FORMS": 0,
            "units-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "L'âge maximum est inférieur à l'âge minimum." in page_text(response)
    assert not Activity.objects.exists()


def test_the_activity_list_costs_the_same_queries_for_many_activities(
    agent_client, j2_10h, school, django_assert_max_num_queries
):
    for i in range(15):
        activity = Activity.objects.create(
            name=f"Activité {i}", pattern="school_days", booking_rule=j2_10h, cancel_rule=j2_10h
        )
        activity.schools.add(school)
    with django_assert_max_num_queries(12):
        assert agent_client.get("/admin/reservations/activity/").status_code == 200


def test_a_closure_is_entered_with_its_dates_in_order(agent_client, canteen):
    bad = agent_client.post(
        "/admin/reservations/closure/add/",
        {"activity": canteen.pk, "start": "04/12/2026", "end": "03/12/2026", "reason": "Grève"},
    )
    assert "La fin de la fermeture précède son début." in page_text(bad)

    agent_client.post(
        "/admin/reservations/closure/add/",
        {"activity": "", "start": "24/05/2027", "end": "24/05/2027", "reason": "Pont"},
    )
    closure = Closure.objects.get()
    assert (closure.activity, closure.start, closure.reason) == (None, date(2027, 5, 24), "Pont")
    assert "Toutes les activités" in page_text(agent_client.get("/admin/reservations/closure/"))


def test_a_school_year_ends_after_it_starts(agent_client):
    response = agent_client.post(
        "/admin/reservations/schoolyear/add/",
        {"name": "2027-2028", "start": "01/09/2027", "end": "01/09/2027"},
    )
    assert "La fin de l'année scolaire doit suivre la rentrée." in page_text(response)
    assert not SchoolYear.objects.exists()


def test_bookings_are_read_not_edited_and_link_to_the_staff_pages(agent_client, enrolled, meal):
    booking = book_directly(enrolled[0], meal, THURSDAY, by_staff=True)

    page = page_text(agent_client.get("/admin/reservations/booking/"))
    for label in (
        "Liste du jour",
        "Pointage",
        "Réserver / annuler pour une famille",
        "Annuler une journée pour tous",
    ):
        assert label in page
    assert "Léa MARTIN" in page
    assert agent_client.get("/admin/reservations/booking/add/").status_code == 403
    change = agent_client.post(
        f"/admin/reservations/booking/{booking.pk}/change/", {"status": "cancelled"}
    )
    assert change.status_code == 403
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED


def test_the_booking_list_costs_the_same_queries_for_many_bookings(
    agent_client, meal, school, school_year, django_assert_max_num_queries
):
    bulk_booked(make_children(60, school=school), meal, THURSDAY, year=school_year)
    with django_assert_max_num_queries(15):
        response = agent_client.get("/admin/reservations/booking/")
    assert response.context["cl"].result_count == 60


def test_the_day_counters_are_read_only(agent_client, meal):
    DayCount.objects.create(unit=meal, day=THURSDAY, booked=3)
    page = page_text(agent_client.get("/admin/reservations/daycount/"))
    assert "Restauration scolaire" in page and "Repas" in page
    assert agent_client.get("/admin/reservations/daycount/add/").status_code == 403


def test_accounting_staff_read_bookings_but_cannot_set_up_activities(
    accountant_client, enrolled, meal, school_year, canteen
):
    page = page_text(accountant_client.get("/admin/reservations/booking/"))
    assert "Liste du jour" in page and "Pointage" not in page
    assert accountant_client.get("/admin/reservations/activity/").status_code == 403
    assert accountant_client.get("/admin/reservations/closure/add/").status_code == 403


def test_the_app_page_leads_to_the_staff_pages(agent_client):
    page = page_text(agent_client.get("/admin/reservations/"))
    assert "Pages du service" in page
    assert 'href="/admin/reservations/booking/liste-du-jour/"' in page
    assert 'href="/admin/reservations/booking/annuler-une-journee/"' in page
