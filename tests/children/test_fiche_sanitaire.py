"""The fiche sanitaire PDF: everything needed in an emergency, for health staff only."""

import io

import pytest
from django.contrib.admin import helpers
from django.test import Client
from pypdf import PdfReader

from accounts.models import Guardian
from children.models import AuthorisedPerson, Consents, Diet, Health, HealthAccess
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/children/child/"


def sheet_url(child) -> str:
    return f"{CHANGELIST}{child.pk}/fiche-sanitaire/"


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture
def lea(family):
    child = family.children.get(first_name="Léa")
    Guardian.objects.create(
        family=family,
        first_name="Claire",
        last_name="MARTIN",
        relationship="mother",
        mobile_phone="06 12 34 56 78",
    )
    Health.objects.create(
        child=child,
        allergies="Arachide",
        diets=[Diet.NO_PORK],
        pai=True,
        pai_details="Stylo d'adrénaline dans le cartable",
        vaccinations_up_to_date=True,
        doctor_name="Dr Anne Lemoine",
        doctor_phone="02 38 12 12 12",
        treatments="Ventoline",
    )
    AuthorisedPerson.objects.create(
        child=child,
        first_name="Jeanne",
        last_name="PETIT",
        relationship="Grand-mère",
        phone="06 45 45 45 45",
        emergency_contact=True,
    )
    Consents.objects.create(child=child, image_rights=False, emergency_care=True)
    return child


def print_selected(client, children):
    return client.post(
        CHANGELIST,
        {
            "action": "print_health_sheets",
            "select_across": "0",
            "index": "0",
            helpers.ACTION_CHECKBOX_NAME: [str(child.pk) for child in children],
        },
    )


def test_the_sheet_holds_what_staff_need_in_an_emergency(health_agent_client, health_agent, lea):
    response = health_agent_client.get(sheet_url(lea))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="fiche-sanitaire-lea-martin.pdf"' in response["Content-Disposition"]
    (text,) = pdf_pages(response.content)
    for expected in (
        "Fiche sanitaire de liaison",
        "Léa",
        "MARTIN",
        "14 mars 2017",
        "École Jules-Ferry",
        "CE2",
        "Claire MARTIN",
        "06 12 34 56 78",
        "Jeanne PETIT",
        "06 45 45 45 45",
        "Arachide",
        "Sans porc",
        "PAI",
        "Stylo d'adrénaline",
        "Dr Anne Lemoine",
        "Ventoline",
        "Droit à l'image",
        "Document confidentiel",
    ):
        assert expected in text, expected
    access = HealthAccess.objects.get()
    assert (access.staff, access.child, access.action) == (health_agent, lea, "print")


def test_the_html_of_the_sheet_is_available_for_checks(health_agent_client, lea):
    response = health_agent_client.get(sheet_url(lea), {"html": "1"})
    page = page_text(response)
    assert response["Content-Type"].startswith("text/html")
    assert "PAI — projet d'accueil individualisé." in page
    assert "14 mars 2017" in page
    assert HealthAccess.objects.filter(action="print").count() == 1


def test_a_child_with_nothing_recorded_still_gets_a_sheet(health_agent_client, family):
    hugo = family.children.get(first_name="Hugo")
    page = page_text(health_agent_client.get(sheet_url(hugo), {"html": "1"}))
    assert "Aucune donnée de santé renseignée" in page
    assert "Aucun responsable légal enregistré" in page
    assert "Autorisations non renseignées" in page


def test_several_children_print_as_one_pdf_one_page_each(
    health_agent_client, lea, family, other_family
):
    children = [lea, family.children.get(first_name="Hugo"), other_family.children.get()]

    response = print_selected(health_agent_client, children)

    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pages = pdf_pages(response.content)
    assert len(pages) == 3
    assert "Inès" in "".join(pages) and "Hugo" in "".join(pages)
    assert HealthAccess.objects.filter(action="print").count() == 3


def test_staff_without_the_health_permission_cannot_print(agent_client, lea):
    assert agent_client.get(sheet_url(lea)).status_code == 403
    assert agent_client.get(sheet_url(lea), {"html": "1"}).status_code == 403
    assert "print_health_sheets" not in page_text(agent_client.get(CHANGELIST))
    response = print_selected(agent_client, [lea])  # the action is not theirs: nothing printed
    assert response["Content-Type"].startswith("text/html")
    assert not HealthAccess.objects.exists()


def test_parents_and_visitors_are_sent_to_the_admin_login(parent_client, lea):
    for client in (parent_client, Client()):
        response = client.get(sheet_url(lea))
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    assert not HealthAccess.objects.exists()


def test_an_unknown_child_is_a_404(health_agent_client):
    assert health_agent_client.get(f"{CHANGELIST}999999/fiche-sanitaire/").status_code == 404
