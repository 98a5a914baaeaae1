"""The portal's own error pages: French, with the commune's name and a way back, and the
500 page still there when the database is what failed."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

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
