"""The kitchen's CSV: children by school and class with diets, allergy and PAI flags."""

import csv
import io
from datetime import date

import pytest
from django.contrib.admin import helpers

from accounts.models import Family
from children.models import Child, Diet, Health, HealthAccess, School
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/children/child/"
EXPORT = f"{CHANGELIST}export-regimes/"
HEADER = [
    "École",
    "Classe",
    "Nom",
    "Prénom",
    "Date de naissance",
    "Régimes alimentaires",
    "Allergie",
    "PAI",
]


def rows(response) -> list[list[str]]:
    content = response.content
    assert content.startswith("\ufeff".encode()), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


@pytest.fixture
def canteen(family, other_family, school):
    """Léa (PAI, allergy), Hugo (nothing recorded), Inès (sans porc) and a nursery child."""
    lea = family.children.get(first_name="Léa")
    Health.objects.create(child=lea, allergies="Arachide", pai=True)
    ines = other_family.children.get()
    Health.objects.create(child=ines, diets=[Diet.NO_PORK, Diet.LACTOSE_FREE])
    nursery = School.objects.create(name="École maternelle Les Coquelicots")
    Child.objects.create(
        family=other_family,
        first_name="Tom",
        last_name="DURAND",
        birth_date=date(2021, 1, 9),
        school=nursery,
        school_class="PS",
    )
    return nursery


def test_the_export_lists_children_by_school_class_and_name(
    health_agent_client, health_agent, canteen
):
    response = health_agent_client.get(EXPORT)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="regimes-enfants-' in response["Content-Disposition"]
    assert b";" in response.content.splitlines()[0]
    school, nursery = "École Jules-Ferry", "École maternelle Les Coquelicots"
    assert rows(response) == [
        HEADER,
        [school, "CE2", "MARTIN", "Léa", "14/03/2017", "", "Oui", "Oui"],
        [school, "CM1", "DURAND", "Inès", "21/06/2016", "Sans porc, Sans lactose", "Non", "Non"],
        [school, "GS", "MARTIN", "Hugo", "02/10/2020", "", "Non", "Non"],
        [nursery, "PS", "DURAND", "Tom", "09/01/2021", "", "Non", "Non"],
    ]
    assert HealthAccess.objects.filter(staff=health_agent, action="export").count() == 4


def test_the_export_follows_the_school_filter_of_the_list(health_agent_client, canteen):
    page = page_text(health_agent_client.get(CHANGELIST, {"school__id__exact": canteen.pk}))
    assert f"export-regimes/?school__id__exact={canteen.pk}" in page

    response = health_agent_client.get(EXPORT, {"school__id__exact": canteen.pk})

    assert [row[3] for row in rows(response)[1:]] == ["Tom"]
    assert "regimes-ecole-maternelle-les-coquelicots-" in response["Content-Disposition"]
    assert list(HealthAccess.objects.values_list("child__first_name", flat=True)) == ["Tom"]


def test_the_list_action_exports_the_selected_children(health_agent_client, family, canteen):
    chosen = list(family.children.all())
    response = health_agent_client.post(
        CHANGELIST,
        {
            "action": "export_diets",
            "select_across": "0",
            "index": "0",
            helpers.ACTION_CHECKBOX_NAME: [str(child.pk) for child in chosen],
        },
    )
    assert [row[3] for row in rows(response)[1:]] == ["Léa", "Hugo"]
    assert HealthAccess.objects.filter(action="export").count() == 2


def test_a_name_cannot_become_an_excel_formula(health_agent_client, family):
    Child.objects.filter(first_name="Hugo").update(last_name='=HYPERLINK("http://x")')
    exported = rows(health_agent_client.get(EXPORT))
    assert '\'=HYPERLINK("http://x")' in [row[2] for row in exported]


def test_staff_without_the_health_permission_cannot_export(agent_client, canteen):
    assert agent_client.get(EXPORT).status_code == 403
    page = page_text(agent_client.get(CHANGELIST))
    assert "export-regimes" not in page and "export_diets" not in page
    assert not HealthAccess.objects.exists()


def test_a_filter_edited_by_hand_leads_back_to_the_list(health_agent_client, canteen):
    response = health_agent_client.get(EXPORT, {"school__id__exact": "abc"})
    assert response.status_code == 302
    assert response.url == f"{CHANGELIST}?e=1"
    assert not HealthAccess.objects.exists()


def test_parents_are_sent_to_the_admin_login(parent_client):
    response = parent_client.get(EXPORT)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


def test_the_export_costs_the_same_queries_for_many_children(
    health_agent_client, school, django_assert_max_num_queries
):
    schools = [school, School.objects.create(name="École du Centre")]
    for number in range(40):
        family = Family.objects.create(name=f"FAMILLE{number}")
        child = Child.objects.create(
            family=family,
            first_name=f"Enfant{number}",
            last_name=family.name,
            birth_date=date(2016, 1, 1 + number % 28),
            school=schools[number % 2],
            school_class=["CP", "CE1", "CM2"][number % 3],
        )
        if number % 2:
            Health.objects.create(child=child, diets=[Diet.NO_PORK], pai=number % 5 == 0)

    with django_assert_max_num_queries(15):
        response = health_agent_client.get(EXPORT)

    exported = rows(response)[1:]
    assert len(exported) == 40
    assert exported == sorted(exported, key=lambda row: (row[0], row[1], row[2], row[3]))
    assert HealthAccess.objects.count() == 40
