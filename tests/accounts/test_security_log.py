"""Every staff login, failed login and logout lands in the security log that superusers read."""

import pytest
from django.test import Client

from accounts.models import SecurityEvent, SecurityEventKind
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOG = "/admin/accounts/securityevent/"


def events(kind: SecurityEventKind):
    return SecurityEvent.objects.filter(kind=kind)


def every_value() -> str:
    return " ".join(str(v) for row in SecurityEvent.objects.values_list() for v in row)


def test_a_staff_login_on_the_admin_page_is_logged_with_its_address(client, agent):
    client.post("/admin/login/", {"username": "agent", "password": PASSWORD})
    event = events(SecurityEventKind.LOGIN).get()
    assert (event.actor, event.target, event.username) == (agent, agent, "agent")
    assert event.ip_address == "127.0.0.1"
    assert event.detail == "par /admin/login/"


def test_a_staff_login_on_the_parents_page_is_logged_too(agent):
    client = Client(REMOTE_ADDR="203.0.113.7")
    client.post("/connexion/", {"username": "agent", "password": PASSWORD})
    event = events(SecurityEventKind.LOGIN).get()
    assert (event.target, event.ip_address, event.detail) == (
        agent,
        "203.0.113.7",
        "par /connexion/",
    )


def test_a_superuser_login_is_logged(client, superuser):
    client.post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert events(SecurityEventKind.LOGIN).get().target == superuser


def test_a_parent_login_is_not_a_staff_login(client, parent):
    client.post("/connexion/", {"username": "claire", "password": PASSWORD})
    assert client.get("/").status_code == 200
    assert not events(SecurityEventKind.LOGIN).exists()
    client.post("/deconnexion/")
    assert not events(SecurityEventKind.LOGOUT).exists()


def test_a_staff_logout_is_logged(client, agent):
    client.post("/admin/login/", {"username": "agent", "password": PASSWORD})
    client.post("/admin/logout/")
    event = events(SecurityEventKind.LOGOUT).get()
    assert (event.target, event.detail) == (agent, "par /admin/logout/")


def test_a_failed_staff_login_is_logged_once_without_the_password(client, agent):
    response = client.post("/admin/login/", {"username": "Agent", "password": "Devine-2026"})
    assert response.status_code == 200
    failure = events(SecurityEventKind.LOGIN_FAILED).get()
    assert (failure.username, failure.target) == ("Agent", agent)  # as typed
    assert failure.ip_address == "127.0.0.1"
    assert "Devine-2026" not in every_value()
    assert not events(SecurityEventKind.LOGIN).exists()


def test_an_unknown_identifier_on_the_admin_login_is_logged(client):
    client.post("/admin/login/", {"username": "root", "password": "Devine-2026"})
    failure = events(SecurityEventKind.LOGIN_FAILED).get()
    assert (failure.username, failure.target) == ("root", None)
    assert "Devine-2026" not in every_value()


def test_a_parents_wrong_password_is_not_a_staff_event(client, parent):
    client.post("/connexion/", {"username": "claire", "password": "Devine-2026"})
    client.post("/connexion/", {"username": "inconnu", "password": "Devine-2026"})
    assert not events(SecurityEventKind.LOGIN_FAILED).exists()


def test_a_staff_identifier_failing_on_the_parents_page_is_logged(client, agent):
    client.post("/connexion/", {"username": "agent", "password": "Devine-2026"})
    failure = events(SecurityEventKind.LOGIN_FAILED).get()
    assert (failure.target, failure.detail) == (agent, "par /connexion/")


def test_the_log_is_read_by_superusers_only(agent, agent_client, superuser):
    Client().post("/admin/login/", {"username": "agent", "password": PASSWORD})
    admin_client = Client()
    admin_client.force_login(superuser)
    page = admin_client.get(LOG).content.decode()
    assert "Connexion du personnel" in page
    assert "par /admin/login/" in page
    assert agent_client.get(LOG).status_code == 403
