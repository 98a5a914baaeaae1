"""Staff edit a family directly: guardians, quotient, billing, and the history says who."""

from decimal import Decimal

import pytest

from accounts import change_requests as cr
from accounts.models import Family, Guardian
from tests.admin_forms import change_form_data
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def url(family) -> str:
    return f"/admin/accounts/family/{family.pk}/change/"


@pytest.fixture
def guardians(family, other_family):
    claire = Guardian.objects.create(
        family=family,
        first_name="Claire",
        last_name="MARTIN",
        relationship="mother",
        mobile_phone="06 12 34 56 78",
    )
    sophie = Guardian.objects.create(
        family=other_family,
        first_name="Sophie",
        last_name="DURAND",
        relationship="mother",
        mobile_phone="06 98 76 54 32",
    )
    return claire, sophie


def test_the_family_page_shows_quotient_billing_and_notification_fields(agent_client, family):
    page = page_text(agent_client.get(url(family)))
    for label in (
        "Allocations et quotient familial",
        "Quotient familial",
        "QF valable du",
        "Responsable facturé",
        "Recevoir les messages aussi par e-mail",
        "Responsables légaux",
    ):
        assert label in page


def test_only_the_familys_own_guardians_can_be_billed(agent_client, family, guardians):
    claire, sophie = guardians
    response = agent_client.get(url(family))
    choices = response.context["adminform"].form.fields["billing_guardian"].queryset
    assert list(choices) == [claire]

    refused = agent_client.post(
        url(family), change_form_data(response, billing_guardian=str(sophie.pk))
    )
    assert refused.status_code == 200
    assert "billing_guardian" in refused.context["adminform"].form.errors
    family.refresh_from_db()
    assert family.billing_guardian is None


def test_staff_edits_are_in_the_history_with_their_name(agent_client, agent, family, guardians):
    claire, _ = guardians
    response = agent_client.get(url(family))
    saved = agent_client.post(
        url(family),
        change_form_data(
            response,
            quotient="612,50",
            quotient_valid_from="2026-01-01",
            quotient_valid_until="2026-12-31",
            billing_guardian=str(claire.pk),
            **{"guardians-0-work_phone": "02 38 00 00 01"},
        ),
    )
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    family.refresh_from_db()
    assert family.quotient == Decimal("612.50") and family.billing_guardian == claire
    assert family.history.first().history_user == agent
    claire.refresh_from_db()
    assert claire.work_phone == "02 38 00 00 01"
    assert claire.history.first().history_user == agent

    history = page_text(agent_client.get(f"/admin/accounts/family/{family.pk}/history/"))
    assert "agent" in history and "612.50" in history.replace(",", ".")
    guardian_history = page_text(agent_client.get(f"/admin/accounts/guardian/{claire.pk}/history/"))
    assert "02 38 00 00 01" in guardian_history


def test_an_invalid_quotient_period_is_refused_in_french(agent_client, family):
    response = agent_client.get(url(family))
    refused = agent_client.post(
        url(family),
        change_form_data(
            response, quotient_valid_from="2026-12-31", quotient_valid_until="2026-01-01"
        ),
    )
    assert "La fin de validité précède son début." in page_text(refused)
    family.refresh_from_db()
    assert family.quotient_valid_from is None


def test_a_guardian_needs_a_phone(agent_client, family):
    response = agent_client.get(url(family))
    data = change_form_data(
        response,
        **{
            "guardians-TOTAL_FORMS": "1",
            "guardians-0-first_name": "Paul",
            "guardians-0-last_name": "MARTIN",
            "guardians-0-relationship": "father",
        },
    )
    refused = agent_client.post(url(family), data)
    assert "Indiquez au moins un numéro de téléphone." in page_text(refused)
    assert not Guardian.objects.exists()


def test_the_family_page_links_to_its_pending_requests(agent_client, family, parent):
    cr.submit(
        family=family,
        section="famille-contact",
        label="Coordonnées du foyer",
        by=parent,
        instance=family,
        data={"phone": "07 11 22 33 44"},
    )
    page = page_text(agent_client.get(url(family)))
    assert f"/admin/accounts/changerequest/?famille={family.pk}" in page
    assert "1 en attente" in page


def test_a_new_family_is_created_before_its_guardians(agent_client):
    page = page_text(agent_client.get("/admin/accounts/family/add/"))
    assert "guardians-TOTAL_FORMS" not in page
    assert "logins-TOTAL_FORMS" in page
    assert not Family.objects.exists()
