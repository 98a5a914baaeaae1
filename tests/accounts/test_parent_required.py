"""Every parents' page (accounts.decorators.parent_required): anonymous visitors go to the
login page, a staff member without a family gets « Aucune famille rattachée », a parent the page."""

import pytest

pytestmark = pytest.mark.django_db

# GET for pages, POST for actions; pk 999999 and an unknown token: refused before any lookup.
PAGES = [
    ("get", "/reservations/"),
    ("get", "/reservations/semaine-type/"),
    ("get", "/reservations/inscriptions/"),
    ("get", "/reservations/absences/"),
    ("get", "/factures/"),
    ("get", "/factures/999999/"),
    ("get", "/factures/999999/pdf/"),
    ("get", "/factures/recus/999999/"),
    ("post", "/factures/999999/payer/"),
    ("get", "/paiement-en-ligne/6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f/"),
]


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, method, url):
    response = getattr(client, method)(url)

    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_staff_without_a_family_get_the_no_family_page(agent_client, method, url):
    response = getattr(agent_client, method)(url)

    assert response.status_code == 403
    assert "Aucune famille rattachée" in response.content.decode()


def test_a_parent_gets_the_page(parent_client):
    response = parent_client.get("/reservations/inscriptions/")

    assert response.status_code == 200
    assert "Aucune famille rattachée" not in response.content.decode()
