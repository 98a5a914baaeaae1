"""Enrolments in the admin: staff enrol a child, validate or refuse, and families are told."""

import pytest
from django.contrib.admin import helpers
from django.utils.html import strip_tags

from messaging.models import Message
from reservations.models import Enrolment, EnrolmentStatus
from tests.helpers import page_text
from tests.reservations import staff as reservations_staff
from tests.reservations.conftest import enrol
from tests.reservations.staff import make_children

pytestmark = pytest.mark.django_db

accountant = reservations_staff.accountant
accountant_client = reservations_staff.accountant_client

LIST = "/admin/reservations/enrolment/"


@pytest.fixture
def requested(family, other_family, canteen, alsh, school_year):
    """Léa and Hugo (MARTIN) asked for the canteen, Inès (DURAND) for the ALSH."""
    enrol(family.children.all(), canteen, year=school_year, status=EnrolmentStatus.REQUESTED)
    enrol(other_family.children.all(), alsh, year=school_year, status=EnrolmentStatus.REQUESTED)
    return list(Enrolment.objects.order_by("pk"))


def act(client, action: str, enrolments, **extra):
    return client.post(
        LIST,
        {
            "action": action,
            helpers.ACTION_CHECKBOX_NAME: [e.pk for e in enrolments],
            **extra,
        },
    )


def test_the_list_filters_by_status_activity_and_year(agent_client, requested, canteen):
    response = agent_client.get(
        LIST, {"status__exact": "requested", "activity__id__exact": canteen.pk}
    )

    assert response.status_code == 200
    page = page_text(response)
    assert "Léa MARTIN" in page and "Hugo MARTIN" in page and "Inès DURAND" not in page
    assert "Valider les inscriptions" in page and "Refuser" in page


def test_the_list_costs_the_same_queries_for_many_enrolments(
    agent_client, canteen, school, school_year, django_assert_max_num_queries
):
    enrol(make_children(40, school=school), canteen, year=school_year)
    with django_assert_max_num_queries(14):
        response = agent_client.get(LIST)
    assert response.context["cl"].result_count == 40


def test_validating_tells_each_family_once_listing_its_children(agent_client, agent, requested):
    response = act(agent_client, "validate_selected", requested)

    assert response.status_code == 302
    assert set(Enrolment.objects.values_list("status", flat=True)) == {EnrolmentStatus.VALIDATED}
    assert {e.decided_by for e in Enrolment.objects.all()} == {agent}
    martin = Message.objects.get(recipient__name="MARTIN")
    assert martin.subject == "Inscriptions validées"
    assert "- Léa : Restauration scolaire (2026-2027)" in martin.body
    assert "- Hugo : Restauration scolaire (2026-2027)" in martin.body
    durand = Message.objects.get(recipient__name="DURAND")
    assert durand.subject == "Inscription validée" and "ALSH vacances" in durand.body
    page = page_text(agent_client.get(response["Location"]))
    assert "3 inscription(s) validée(s), familles prévenues." in page


def test_an_enrolment_already_decided_is_left_alone_and_nobody_is_told_twice(
    agent_client, requested
):
    act(agent_client, "validate_selected", requested[:1])
    response = act(agent_client, "validate_selected", requested[:1])

    assert Message.objects.count() == 1
    page = page_text(agent_client.get(response["Location"]))
    assert "1 inscription(s) déjà traitée(s)" in page


def test_refusing_asks_for_a_reason_first(agent_client, requested):
    response = act(agent_client, "refuse_selected", requested[2:])

    assert response.status_code == 200
    page = strip_tags(page_text(response))
    assert "L'inscription suivante sera refusée" in page
    assert "Inès DURAND — ALSH vacances (2026-2027)" in page
    assert requested[2].status == EnrolmentStatus.REQUESTED
    assert not Message.objects.exists()


def test_refusing_with_a_reason_tells_the_family_why(agent_client, agent, requested):
    response = act(
        agent_client,
        "refuse_selected",
        requested[2:],
        confirm="yes",
        reason="Plus de place pour les CM1 cette année.",
    )

    assert response.status_code == 302
    ines = Enrolment.objects.get(pk=requested[2].pk)
    assert (ines.status, ines.reason, ines.decided_by) == (
        EnrolmentStatus.REFUSED,
        "Plus de place pour les CM1 cette année.",
        agent,
    )
    message = Message.objects.get()
    assert message.recipient.name == "DURAND" and message.subject == "Inscription refusée"
    assert "Motif : Plus de place pour les CM1 cette année." in message.body


def test_refusing_without_a_reason_changes_nothing(agent_client, requested):
    response = act(agent_client, "refuse_selected", requested, confirm="yes", reason=" ")

    assert response.status_code == 200
    assert "Ce champ est obligatoire" in page_text(response)
    assert set(Enrolment.objects.values_list("status", flat=True)) == {EnrolmentStatus.REQUESTED}
    assert not Message.objects.exists()


def test_staff_enrol_a_child_who_then_waits_for_validation(
    agent_client, agent, family, canteen, school_year
):
    lea = family.children.get(first_name="Léa")
    add = agent_client.get(f"{LIST}add/")
    assert "admin-autocomplete" in page_text(add)  # the child is searched, not listed

    response = agent_client.post(
        f"{LIST}add/", {"child": lea.pk, "activity": canteen.pk, "school_year": school_year.pk}
    )

    assert response.status_code == 302
    enrolment = Enrolment.objects.get()
    assert (enrolment.child, enrolment.status, enrolment.requested_by) == (
        lea,
        EnrolmentStatus.REQUESTED,
        agent,
    )


def test_enrolling_twice_is_a_clear_error(agent_client, family, canteen, school_year):
    lea = family.children.get(first_name="Léa")
    enrol([lea], canteen, year=school_year)
    response = agent_client.post(
        f"{LIST}add/", {"child": lea.pk, "activity": canteen.pk, "school_year": school_year.pk}
    )
    assert response.status_code == 200
    assert "existe déjà" in page_text(response)
    assert Enrolment.objects.count() == 1


def test_accounting_staff_read_enrolments_but_cannot_decide(accountant_client, requested):
    page = page_text(accountant_client.get(LIST))
    assert "Léa MARTIN" in page and "Valider les inscriptions" not in page
    act(accountant_client, "validate_selected", requested)
    assert set(Enrolment.objects.values_list("status", flat=True)) == {EnrolmentStatus.REQUESTED}
    assert not Message.objects.exists()
