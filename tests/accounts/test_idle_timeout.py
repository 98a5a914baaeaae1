import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, parent, time_machine):
    time_machine.move_to("2026-03-10 08:00:00+01:00", tick=False)
    client.post("/connexion/", {"username": "claire", "password": PASSWORD})
    assert client.get("/").status_code == 200
    return client


def test_an_idle_session_expires_and_the_next_click_says_why(logged_in, time_machine):
    time_machine.move_to("2026-03-10 08:31:00+01:00", tick=False)
    response = logged_in.get("/compte/")
    assert response.status_code == 302
    assert response.url == "/connexion/?next=/compte/"
    page = logged_in.get(response.url).content.decode()
    assert "Votre session a expiré après 30 minutes sans activité" in page
    assert "_auth_user_id" not in logged_in.session


def test_activity_keeps_the_session_alive(logged_in, time_machine):
    for minute in (20, 40, 59):
        time_machine.move_to(f"2026-03-10 08:{minute}:00+01:00", tick=False)
        assert logged_in.get("/").status_code == 200


def test_the_timeout_is_configurable(logged_in, time_machine, settings):
    from datetime import timedelta

    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    time_machine.move_to("2026-03-10 08:06:00+01:00", tick=False)
    assert logged_in.get("/").status_code == 302


def test_the_session_cookie_ends_with_the_browser(client, parent):
    response = client.post("/connexion/", {"username": "claire", "password": PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == ""
    assert cookie["max-age"] == ""
    assert cookie["httponly"]
