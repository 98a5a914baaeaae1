"""The portal's own error pages: French, with the commune's name and a way back, and the
500 page still there when the database is what failed."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings

from accounts.models import User
from tests.conftest import PASSWORD
from tests.portail.dead_database import dead_database  # noqa: F401 — a fixture
from tests.portail.test_health import DEAD_SESSION


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def browser() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.django_db
def test_an_unknown_address_shows_the_french_404_page(browser, settings):
    settings.DEBUG = False
    response = browser.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = text(response)
    assert "Page introuvable" in page
    assert "Mairie de Valmont-sur-Loire" in page
    assert 'href="/"' in response.content.decode()
    assert "Not Found" not in page


@pytest.mark.django_db
def test_a_parent_asking_for_another_familys_invoice_gets_the_french_404(parent_client):
    parent_client.raise_request_exception = False
    response = parent_client.get("/factures/999999/")
    assert response.status_code == 404
    assert "Page introuvable" in text(response)


@pytest.mark.django_db
def test_a_crash_shows_the_french_500_page(parent_client, settings, monkeypatch):
    settings.DEBUG = False
    parent_client.raise_request_exception = False

    def broken(**kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr("portail.views.account_summary", broken)
    response = parent_client.get("/")
    assert response.status_code == 500
    page = text(response)
    assert "Une erreur est survenue" in page
    assert "Mairie de Valmont-sur-Loire" in page and "02 38 00 00 00" in page
    assert "Revenir à l'accueil" in page
    assert "Server Error" not in page
    assert "panne" not in page  # nothing of the error itself


@pytest.mark.usefixtures("dead_database")
def test_the_500_page_shows_with_the_database_down(settings):
    settings.DEBUG = False
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = DEAD_SESSION
    response = browser.get("/compte/")
    assert response.status_code == 500
    assert "Une erreur est survenue" in text(response)


@pytest.mark.django_db
def test_a_clerk_refused_an_admin_page_reads_why_and_how_back(reference_data):
    clerk = User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_family"))
    browser = Client(raise_request_exception=False)
    browser.force_login(clerk)
    response = browser.get("/admin/auth/group/")
    assert response.status_code == 403
    page = text(response)
    assert "Accès refusé" in page
    assert "n'a pas le droit d'ouvrir cette page de l'administration" in page
    assert 'href="/admin/"' in response.content.decode()
    assert "403 Forbidden" not in page


@pytest.mark.django_db
def test_a_form_sent_from_a_stale_page_says_so_in_french(parent):
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = browser.post("/connexion/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = text(response)
    assert "La page a expiré" in page
    assert "rien n'a été enregistré" in page
    assert "CSRF" not in page


@pytest.mark.django_db
def test_a_malformed_request_shows_the_french_400_page(browser, settings):
    settings.DEBUG = False
    # A multipart body whose boundary is missing: Django cannot read it.
    response = browser.generic(
        "POST", "/connexion/", b"--x\r\n", content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert "Demande incorrecte" in text(response)


# Production answers (DEBUG off): each page is the portal's, in French, says what to do next.
production = override_settings(DEBUG=False)


def assert_portal_layout(response) -> None:
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Portail Famille" in html and "Mairie de Valmont-sur-Loire" in html
    assert "vendor/bootstrap/bootstrap.min.css" in html


@production
@pytest.mark.django_db
def test_in_production_a_stale_login_form_says_log_in_again_with_a_link(parent):
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.get("/connexion/")  # the CSRF cookie is set; the form is posted without its token
    response = browser.post("/connexion/", {"username": "claire", "password": PASSWORD})
    assert response.status_code == 403
    page = text(response)
    assert "La page a expiré, reconnectez-vous" in page
    assert "rien n'a été enregistré" in page
    assert 'href="/connexion/"' in response.content.decode()
    assert "CSRF" not in page and "Forbidden" not in page
    assert_portal_layout(response)
    assert "_auth_user_id" not in browser.session  # nothing happened: not logged in


@production
@pytest.mark.django_db
def test_in_production_a_stale_admin_form_sends_staff_to_the_admin_login(parent):
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = browser.post("/admin/login/", {"username": "agent", "password": "x"})
    assert response.status_code == 403
    assert "La page a expiré, reconnectez-vous" in text(response)
    assert 'href="/admin/login/"' in response.content.decode()


@production
@pytest.mark.django_db
def test_in_production_a_refused_parent_page_is_the_french_403(parent_client, monkeypatch):
    parent_client.raise_request_exception = False

    def refused(**kwargs):
        raise PermissionDenied("interdit")

    monkeypatch.setattr("portail.views.account_summary", refused)
    response = parent_client.get("/")
    assert response.status_code == 403
    page = text(response)
    assert "Accès refusé" in page
    assert "contactez la mairie au 02 38 00 00 00" in page
    assert "Revenir à l'accueil" in page
    assert "interdit" not in page and "403 Forbidden" not in page
    assert_portal_layout(response)


@production
@pytest.mark.django_db
def test_in_production_the_404_and_400_pages_are_the_portals(browser):
    missing = browser.get("/nulle-part/")
    assert missing.status_code == 404
    assert "Vérifiez l'adresse, ou repartez de l'accueil" in text(missing)
    assert_portal_layout(missing)
    bad = browser.generic("POST", "/connexion/", b"--x\r\n", content_type="multipart/form-data")
    assert bad.status_code == 400
    assert "rechargez-la et recommencez" in text(bad)
    assert_portal_layout(bad)


@production
@pytest.mark.django_db
def test_in_production_a_missing_admin_page_leads_back_to_the_admin(agent_client):
    agent_client.raise_request_exception = False
    response = agent_client.get("/admin/nulle-part/")
    assert response.status_code == 404
    assert 'href="/admin/"' in response.content.decode()


@production
@pytest.mark.usefixtures("dead_database")
def test_in_production_the_500_page_needs_no_database():
    browser = Client(raise_request_exception=False)
    browser.cookies["sessionid"] = DEAD_SESSION
    response = browser.get("/compte/")
    assert response.status_code == 500
    page = text(response)
    assert "Réessayez dans quelques minutes" in page
    assert "contactez la mairie au 02 38 00 00 00" in page
    assert_portal_layout(response)
