"""Health data in the child's admin page: only with the health permission, and logged."""

import pytest
from django.contrib.auth.models import Group

from children.models import AuthorisedPerson, Consents, Health, HealthAccess
from tests.admin_forms import change_form_data
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def url(child) -> str:
    return f"/admin/children/child/{child.pk}/change/"


@pytest.fixture
def lea(family):
    child = family.children.get(first_name="Léa")
    Health.objects.create(
        child=child, allergies="Arachide", pai=True, pai_details="Stylo d'adrénaline"
    )
    return child


def test_staff_without_the_health_permission_see_no_health_data(agent_client, lea):
    response = agent_client.get(url(lea))

    page = page_text(response)
    assert response.status_code == 200
    assert "Léa" in page
    assert "Arachide" not in page and "adrénaline" not in page
    assert "health-TOTAL_FORMS" not in page
    assert "Fiche sanitaire" not in page
    assert not HealthAccess.objects.exists()
    assert agent_client.get("/admin/children/healthaccess/").status_code == 403


def test_staff_without_the_permission_cannot_slip_health_data_into_the_form(agent_client, family):
    hugo = family.children.get(first_name="Hugo")
    response = agent_client.get(url(hugo))
    data = change_form_data(
        response,
        **{
            "health-TOTAL_FORMS": "1",
            "health-INITIAL_FORMS": "0",
            "health-0-allergies": "Inventée",
        },
    )
    assert agent_client.post(url(hugo), data).status_code == 302
    assert not Health.objects.exists()
    assert not HealthAccess.objects.exists()


def test_health_staff_see_the_data_and_each_look_is_logged(health_agent_client, health_agent, lea):
    for _ in range(2):
        page = page_text(health_agent_client.get(url(lea)))
        assert "Arachide" in page and "Stylo d'adrénaline" in page
        assert "Fiche sanitaire (PDF)" in page

    accesses = HealthAccess.objects.all()
    assert [(a.staff, a.child, a.action) for a in accesses] == [(health_agent, lea, "view")] * 2
    log = page_text(health_agent_client.get("/admin/children/healthaccess/"))
    assert "consultation" in log and "Léa MARTIN" in log


def test_health_staff_correct_the_data_which_is_logged_and_kept_in_history(
    health_agent_client, health_agent, lea
):
    response = health_agent_client.get(url(lea))
    data = change_form_data(
        response, **{"health-0-allergies": "Arachide, kiwi", "health-0-diets": ["no_pork"]}
    )

    saved = health_agent_client.post(url(lea), data)

    assert saved.status_code == 302
    health = Health.objects.get(child=lea)
    assert health.allergies == "Arachide, kiwi" and health.diets == ["no_pork"]
    assert health.history.first().history_user == health_agent
    actions = list(HealthAccess.objects.order_by("at", "pk").values_list("action", flat=True))
    assert actions == ["view", "change"]


def test_health_staff_fill_in_a_childs_first_health_data(health_agent_client, family):
    hugo = family.children.get(first_name="Hugo")
    response = health_agent_client.get(url(hugo))
    data = change_form_data(
        response, **{"health-0-vaccinations_up_to_date": "on", "health-0-doctor_name": "Dr Roy"}
    )
    assert health_agent_client.post(url(hugo), data).status_code == 302
    assert Health.objects.get(child=hugo).doctor_name == "Dr Roy"
    assert HealthAccess.objects.filter(child=hugo, action="change").count() == 1


def test_saving_a_child_without_touching_health_logs_no_change(health_agent_client, lea):
    response = health_agent_client.get(url(lea))
    data = change_form_data(response, school_class="CM1")
    assert health_agent_client.post(url(lea), data).status_code == 302
    lea.refresh_from_db()
    assert lea.school_class == "CM1"
    assert not HealthAccess.objects.filter(action="change").exists()


def test_the_health_group_holds_exactly_the_health_permissions(health_agent):
    codenames = set(
        Group.objects.get(name="Données de santé").permissions.values_list("codename", flat=True)
    )
    assert codenames == {"view_health", "change_health", "view_healthaccess"}
    assert not Group.objects.filter(
        name__in=["Comptabilité", "Enfance Jeunesse"], permissions__codename="view_health"
    ).exists()


def test_staff_edit_authorised_persons_and_consents_with_history(agent_client, agent, lea):
    response = agent_client.get(url(lea))
    data = change_form_data(
        response,
        **{
            "authorised_persons-TOTAL_FORMS": "1",
            "authorised_persons-0-first_name": "Jeanne",
            "authorised_persons-0-last_name": "PETIT",
            "authorised_persons-0-relationship": "Grand-mère",
            "authorised_persons-0-phone": "06 45 45 45 45",
            "authorised_persons-0-emergency_contact": "on",
            "consents-TOTAL_FORMS": "1",
            "consents-0-image_rights": "on",
        },
    )

    saved = agent_client.post(url(lea), data)

    assert saved.status_code == 302, page_text(saved)[:3000]
    person = AuthorisedPerson.objects.get(child=lea)
    assert person.history.first().history_user == agent
    assert Consents.objects.get(child=lea).image_rights
    history = page_text(agent_client.get(f"/admin/children/authorisedperson/{person.pk}/history/"))
    assert "agent" in history


def test_an_authorised_person_needs_a_role(agent_client, lea):
    response = agent_client.get(url(lea))
    data = change_form_data(
        response,
        **{
            "authorised_persons-TOTAL_FORMS": "1",
            "authorised_persons-0-first_name": "Jeanne",
            "authorised_persons-0-last_name": "PETIT",
            "authorised_persons-0-relationship": "Grand-mère",
            "authorised_persons-0-phone": "06 45 45 45 45",
        },
    )
    refused = agent_client.post(url(lea), data)
    assert "Cochez au moins un rôle" in page_text(refused)
    assert not AuthorisedPerson.objects.exists()


def test_child_edits_are_in_the_childs_history(agent_client, agent, lea):
    response = agent_client.get(url(lea))
    agent_client.post(url(lea), change_form_data(response, school_class="CM1"))
    lea.refresh_from_db()
    assert lea.history.first().history_user == agent
    history = page_text(agent_client.get(f"/admin/children/child/{lea.pk}/history/"))
    assert "CM1" in history and "agent" in history
