import pytest
from django.db import OperationalError
from django.test import Client

from tests.portail.dead_database import dead_database  # noqa: F401 — a fixture

DEAD_SESSION = "0123456789abcdefghijklmnopqrstuv"


@pytest.mark.django_db
def test_health_answers_without_login(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_says_503_when_the_database_does_not_answer(client, monkeypatch):
    from portail import health

    class DeadCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: DeadCursor())
    response = client.get("/sante/")
    assert response.status_code == 503
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "base de données injoignable\n"


@pytest.mark.usefixtures("dead_database")
def test_with_the_database_down_health_says_503_even_to_a_session_cookie():
    probe = Client(raise_request_exception=False)
    assert probe.get("/sante/").status_code == 503
    probe.cookies["sessionid"] = DEAD_SESSION  # a load balancer replaying a visitor's cookie
    response = probe.get("/sante/")
    assert response.status_code == 503
    assert response.content.decode() == "base de données injoignable\n"


@pytest.mark.django_db
def test_health_with_a_session_cookie_answers_ok_and_writes_no_session(client, parent):
    client.force_login(parent)
    response = client.get("/sante/")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


@pytest.mark.django_db
def test_health_refuses_a_post(client):
    assert client.post("/sante/").status_code == 405


@pytest.mark.django_db
def test_health_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/sante/").status_code == 200
