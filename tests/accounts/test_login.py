from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/connexion/"


def login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_the_login_page_speaks_the_seed_words(client):
    page = client.get(LOGIN).content.decode()
    for words in (
        "Accès famille",
        "Identifiez-vous pour vous connecter",
        "Identifiant",
        "Mot de passe",
        "Connexion",
        "Mot de passe oublié",
    ):
        assert words in page


def test_a_parent_logs_in_and_reaches_the_home_page(client, parent):
    response = login(client, "claire", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("portail:home")
    assert "Informations compte" in client.get("/").content.decode()


def test_the_identifier_is_not_case_sensitive(client, parent):
    response = login(client, "  Claire".strip(), PASSWORD)
    assert response.status_code == 302


def test_a_wrong_password_is_refused_with_a_french_message(client, parent):
    response = login(client, "claire", "mauvais")
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_disabled_login_cannot_enter(client, parent):
    parent.is_active = False
    parent.save()
    response = login(client, "claire", PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_an_expired_temporary_password_is_refused_and_says_what_to_do(client, parent):
    parent.set_temporary_password("Tmp-Abcd-2345", at=timezone.now() - timedelta(days=60))
    parent.save()
    response = login(client, "claire", "Tmp-Abcd-2345")
    page = response.content.decode()
    assert "mot de passe provisoire de votre courrier a expiré" in page
    assert "_auth_user_id" not in client.session


def test_login_returns_to_the_page_first_asked(client, parent):
    response = login(client, "claire", PASSWORD, next="/compte/")
    assert response.url == "/compte/"


def test_login_ignores_a_next_pointing_elsewhere(client, parent):
    response = login(client, "claire", PASSWORD, next="https://evil.example/")
    assert response.url == reverse("portail:home")
