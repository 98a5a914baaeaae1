"""« Liste du jour »: the children expected per unit, the kitchen's totals, CSV and PDF."""

import csv
import io

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from children.models import Diet, Health, HealthAccess, School
from reservations.models import Closure, Status, Unit
from tests import staff
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

# Shared fixtures, made visible to this module.
health_agent = staff.health_agent
health_agent_client = staff.health_agent_client
accountant = reservations_staff.accountant
accountant_client = reservations_staff.accountant_client

URL = "/admin/reservations/booking/liste-du-jour/"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(THURSDAY_9H, tick=False):
        yield


@pytest.fixture
def day(enrolled, canteen, meal, other_family, school_year):
    """Léa (PAI, allergy) and Hugo booked a meal; Inès (sans porc) a packed meal; a
    cancelled and a waiting booking that must not count."""
    lea, hugo = enrolled
    Health.objects.create(child=lea, allergies="Arachide", pai=True)
    ines = other_family.children.get()
    Health.objects.create(child=ines, diets=[Diet.NO_PORK])
    packed = Unit.objects.create(activity=canteen, name="Panier-repas", position=1)
    enrol([ines], canteen, year=school_year)
    book_directly(lea, meal, THURSDAY)
    book_directly(hugo, meal, THURSDAY, status=Status.PRESENT)
    book_directly(ines, packed, THURSDAY)
    return {"lea": lea, "hugo": hugo, "ines": ines, "packed": packed}


def query(canteen, **extra) -> dict:
    return {"day": THURSDAY.isoformat(), "activity": canteen.pk, **extra}


def csv_rows(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_list_shows_each_unit_with_its_children_and_totals(agent_client, canteen, day):
    response = agent_client.get(URL, query(canteen))

    assert response.status_code == 200
    page = page_text(response)
    assert "Restauration scolaire — jeudi 3 décembre 2026" in page
    assert "Commande de la cuisine : 3 enfants" in page
    daily = response.context["daily"]
    assert [(u.unit.name, u.total) for u in daily.units] == [("Repas", 2), ("Panier-repas", 1)]
    assert [row.child.first_name for row in daily.units[0].rows] == ["Hugo", "Léa"]  # GS, CE2
    assert "Présent" in page  # Hugo was pointed


def test_cancelled_and_waiting_children_are_not_expected(agent_client, canteen, meal, day, family):
    day["lea"].bookings.update(status=Status.CANCELLED)
    response = agent_client.get(URL, query(canteen))
    assert [r.child.first_name for r in response.context["daily"].units[0].rows] == ["Hugo"]


def test_staff_without_the_health_permission_see_no_flags_and_nothing_is_logged(
    agent_client, canteen, day
):
    page = page_text(agent_client.get(URL, query(canteen)))

    assert "Léa" in page and "Inès" in page
    for secret in ("PAI", "Allergie", "Sans porc", "Régimes"):
        assert secret not in page
    assert not HealthAccess.objects.exists()


def test_health_staff_see_diets_pai_and_allergy_flags_and_each_child_is_logged(
    health_agent_client, health_agent, canteen, day
):
    response = health_agent_client.get(URL, query(canteen))

    page = page_text(response)
    assert "Sans porc" in page and "Allergie" in page and "PAI" in page
    assert "Arachide" not in page  # a flag for the kitchen, not the medical details
    repas = response.context["daily"].units[0]
    assert (repas.pai_count, repas.allergy_count) == (1, 1)
    logged = HealthAccess.objects.filter(staff=health_agent, action="view")
    assert sorted(a.child.first_name for a in logged) == ["Hugo", "Inès", "Léa"]


def test_a_school_filter_keeps_its_children_only(agent_client, canteen, day):
    other = School.objects.create(name="École Pasteur")
    day["ines"].school = other
    day["ines"].save()

    response = agent_client.get(URL, query(canteen, school=other.pk))

    assert [u.total for u in response.context["daily"].units] == [0, 1]
    assert "École Pasteur" in page_text(response)


def test_a_closed_day_says_so(agent_client, canteen, day):
    Closure.objects.create(activity=canteen, start=THURSDAY, end=THURSDAY, reason="Grève")
    assert "Fermé : grève." in page_text(agent_client.get(URL, query(canteen)))


def test_a_bad_day_is_a_form_error_not_a_500(agent_client, canteen):
    response = agent_client.get(URL, {"day": "31/02/2026", "activity": canteen.pk})
    assert response.status_code == 200
    assert response.context["daily"] is None
    assert "Saisissez une date valide" in page_text(response)


def test_the_csv_has_the_same_list_without_health_columns_for_plain_staff(
    agent_client, canteen, day
):
    response = agent_client.get(f"{URL}csv/", query(canteen))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "restauration-scolaire-2026-12-03.csv" in response["Content-Disposition"]
    assert csv_rows(response) == [
        ["Unité", "École", "Classe", "Nom", "Prénom", "État"],
        ["Repas", "École Jules-Ferry", "GS", "MARTIN", "Hugo", "Présent"],
        ["Repas", "École Jules-Ferry", "CE2", "MARTIN", "Léa", "Réservé"],
        ["Panier-repas", "École Jules-Ferry", "CM1", "DURAND", "Inès", "Réservé"],
    ]
    assert not HealthAccess.objects.exists()


def test_the_csv_for_health_staff_has_the_flags_and_is_logged_as_an_export(
    health_agent_client, canteen, day
):
    rows = csv_rows(health_agent_client.get(f"{URL}csv/", query(canteen)))

    assert rows[0][-3:] == ["Régimes alimentaires", "Allergie", "PAI"]
    assert rows[2][-3:] == ["", "Oui", "Oui"]  # Léa
    assert rows[3][-3:] == ["Sans porc", "Non", "Non"]  # Inès
    assert HealthAccess.objects.filter(action="export").count() == 3


def test_the_page_links_to_the_csv_and_pdf_of_the_same_choice(agent_client, canteen, day):
    page = page_text(agent_client.get(URL, query(canteen)))
    link = f"{URL}csv/?day=2026-12-03&activity={canteen.pk}"
    assert f'href="{link}"' in page
    assert len(csv_rows(agent_client.get(link))) == 4


def test_a_name_cannot_smuggle_a_formula_into_the_csv(agent_client, canteen, day):
    day["lea"].last_name = "=HYPERLINK(1)"
    day["lea"].save()
    rows = csv_rows(agent_client.get(f"{URL}csv/", query(canteen)))
    assert ["Repas", "École Jules-Ferry", "CE2", "'=HYPERLINK(1)", "Léa", "Réservé"] in rows


def test_the_pdf_prints_the_same_list(health_agent_client, canteen, day):
    html = page_text(health_agent_client.get(f"{URL}pdf/", query(canteen, html=1)))
    assert "Totaux : 3 enfants" in html and "Panier-repas" in html and "Sans porc" in html
    assert HealthAccess.objects.filter(action="print").count() == 3

    response = health_agent_client.get(f"{URL}pdf/", query(canteen))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_exports_without_a_valid_choice_go_back_to_the_page(agent_client):
    for suffix in ("csv/", "pdf/"):
        response = agent_client.get(f"{URL}{suffix}", {"day": "x"})
        assert response.status_code == 302 and response["Location"] == URL


def test_accounting_staff_may_read_the_list(accountant_client, canteen, day):
    assert accountant_client.get(URL, query(canteen)).status_code == 200


def test_parents_and_anonymous_visitors_are_sent_to_the_admin_login(client, parent_client, canteen):
    for browser in (client, parent_client):
        response = browser.get(URL, query(canteen))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_staff_without_the_bookings_permission_are_refused(canteen, reference_data):
    user = User.objects.create_user("stagiaire", is_staff=True)
    client = Client()
    client.force_login(user)
    assert client.get(URL, query(canteen)).status_code == 403
    assert client.get(f"{URL}csv/", query(canteen)).status_code == 403


def test_the_list_costs_the_same_queries_for_4_or_60_children(
    health_agent_client, canteen, meal, school, school_year, django_assert_max_num_queries
):
    children = make_children(60, school=school)
    bulk_booked(children[:4], meal, THURSDAY, year=school_year)
    with CaptureQueriesContext(connection) as few:
        health_agent_client.get(URL, query(canteen))
    bulk_booked(children[4:], meal, THURSDAY, year=school_year)

    with django_assert_max_num_queries(17):
        response = health_agent_client.get(URL, query(canteen))
    assert response.context["daily"].total == 60
    assert len(few) == 17  # session, user, permissions, form choices, list, log…
    with django_assert_max_num_queries(17):
        assert len(csv_rows(health_agent_client.get(f"{URL}csv/", query(canteen)))) == 61


def test_schools_sort_as_a_french_reader_expects(agent_client, canteen, meal, day, school_year):
    maternelle = School.objects.create(name="École maternelle Les Coquelicots")
    day["hugo"].school = maternelle
    day["hugo"].save()
    School.objects.filter(pk=day["lea"].school_id).update(name="École élémentaire Jules-Ferry")

    response = agent_client.get(URL, query(canteen))

    rows = response.context["daily"].units[0].rows
    assert [row.child.first_name for row in rows] == ["Léa", "Hugo"]  # é… before m…
