"""Mon compte's new pages: a family reaches only its own records; others get a 404."""

import pytest

from accounts import change_requests as cr
from accounts.models import ChangeRequest, ChangeStatus
from tests.records import make_guardian

pytestmark = pytest.mark.django_db

GUARDIAN_FORM = {
    "first_name": "Pirate",
    "last_name": "X",
    "relationship": "other",
    "mobile_phone": "06 99 99 99 99",
}


@pytest.fixture
def theirs(other_family, other_parent):
    """Another family's guardian and pending request."""
    guardian = make_guardian(other_family, "Sophie")
    request = cr.submit(
        family=other_family,
        section="famille-coordonnees",
        label="Adresse",
        by=other_parent,
        instance=other_family,
        data={"city": "Ailleurs"},
    )
    return guardian, request


def test_another_familys_guardian_is_a_404_and_nothing_is_asked(parent_client, theirs):
    guardian, _ = theirs
    url = f"/compte/responsables/{guardian.pk}/modifier/"
    assert parent_client.get(url).status_code == 404
    assert parent_client.post(url, GUARDIAN_FORM).status_code == 404
    assert ChangeRequest.objects.count() == 1
    guardian.refresh_from_db()
    assert guardian.first_name == "Sophie"


def test_another_familys_request_cannot_be_withdrawn(parent_client, theirs):
    _, request = theirs
    url = f"/compte/demandes/{request.pk}/retirer/"
    assert parent_client.post(url).status_code == 404
    assert parent_client.get(url).status_code == 405
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING


def test_withdrawal_is_post_only(parent_client, family, parent):
    request = cr.submit(
        family=family,
        section="famille-coordonnees",
        label="Adresse",
        by=parent,
        instance=family,
        data={"city": "Orléans"},
    )
    assert parent_client.get(f"/compte/demandes/{request.pk}/retirer/").status_code == 405
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING


def test_an_unknown_section_is_a_404(parent_client):
    assert parent_client.get("/compte/inconnue/modifier/").status_code == 404
    assert parent_client.post("/compte/inconnue/modifier/", {"city": "X"}).status_code == 404


def test_a_staff_account_without_family_gets_404s(client, agent, theirs):
    client.force_login(agent)
    for url in ("/compte/coordonnees/modifier/", "/compte/responsables/ajouter/"):
        assert client.get(url).status_code == 404
        assert client.post(url, GUARDIAN_FORM).status_code == 404
    assert client.get("/compte/demandes/").status_code == 404
    assert ChangeRequest.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/compte/demandes/",
        "/compte/coordonnees/modifier/",
        "/compte/allocations/modifier/",
        "/compte/facturation/modifier/",
        "/compte/preferences/modifier/",
        "/compte/responsables/ajouter/",
        "/compte/responsables/{guardian}/modifier/",
        "/compte/demandes/{request}/retirer/",
    ],
)
def test_an_anonymous_visitor_is_sent_to_login(client, theirs, url):
    guardian, request = theirs
    url = url.format(guardian=guardian.pk, request=request.pk)
    assert client.get(url).url.startswith("/connexion/")
    assert client.post(url, GUARDIAN_FORM).url.startswith("/connexion/")
    assert ChangeRequest.objects.count() == 1
