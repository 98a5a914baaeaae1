import pytest
from django.db import OperationalError


@pytest.mark.django_db
def test_health_answers_without_login(client):
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_says_503_when_the_database_does_not_answer(client, monkeypatch):
    from portail import views

    class DeadCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(views.connection, "cursor", lambda: DeadCursor())
    response = client.get("/sante/")
    assert response.status_code == 503


@pytest.mark.django_db
def test_health_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/sante/").status_code == 200
