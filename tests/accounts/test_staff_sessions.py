"""Staff sessions end sooner than parents': after 15 idle minutes, and 10 hours after login."""

from datetime import timedelta

import pytest
from django.test import Client

from accounts.models import SecurityEvent, SecurityEventKind
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def at(time_machine, clock: str) -> None:
    time_machine.move_to(f"2026-03-10 {clock}+01:00", tick=False)


@pytest.fixture
def staff(agent, time_machine) -> Client:
    at(time_machine, "08:00:00")
    client = Client()
    client.post("/admin/login/", {"username": "agent", "password": PASSWORD})
    assert client.get("/admin/").status_code == 200
    return client


@pytest.fixture
def family_browser(parent, time_machine) -> Client:
    at(time_machine, "08:00:00")
    client = Client()
    client.post("/connexion/", {"username": "claire", "password": PASSWORD})
    assert client.get("/").status_code == 200
    return client


def test_a_staff_session_idle_for_15_minutes_ends_and_the_next_click_says_why(staff, time_machine):
    at(time_machine, "08:16:00")
    response = staff.get("/admin/children/child/")
    assert response.status_code == 302
    assert response.url == "/admin/login/?next=/admin/children/child/"
    page = staff.get(response.url).content.decode()
    assert "Votre session a expiré après 15 minutes sans activité" in page
    assert "_auth_user_id" not in staff.session
    event = SecurityEvent.objects.get(kind=SecurityEventKind.LOGOUT)
    assert event.target.username == "agent"
    assert event.detail.startswith("session expirée : Votre session a expiré après 15 minutes")


def test_a_parent_idle_for_20_minutes_is_still_logged_in(staff, family_browser, time_machine):
    at(time_machine, "08:20:00")
    assert family_browser.get("/compte/").status_code == 200
    assert staff.get("/admin/").status_code == 302


def test_a_staff_member_clicking_every_10_minutes_stays_logged_in(staff, time_machine):
    for clock in ("08:10:00", "08:20:00", "08:30:00", "08:44:00"):
        at(time_machine, clock)
        assert staff.get("/admin/").status_code == 200


def test_a_staff_session_ends_10_hours_after_login_however_active(staff, time_machine):
    for hour in range(8, 18):
        for minute in ("00", "10", "20", "30", "40", "50"):
            at(time_machine, f"{hour:02d}:{minute}:00")
            assert staff.get("/admin/").status_code == 200
    at(time_machine, "18:00:00")
    assert staff.get("/admin/").status_code == 200  # ten hours exactly
    at(time_machine, "18:00:30")
    response = staff.get("/admin/")
    assert response.status_code == 302
    page = staff.get(response.url).content.decode()
    assert "une session du personnel dure au plus 10 heures" in page


def test_a_parent_session_has_no_maximum_age_while_active(family_browser, time_machine):
    for hour in range(8, 19):
        for minute in ("00", "25", "50"):
            at(time_machine, f"{hour:02d}:{minute}:00")
            assert family_browser.get("/").status_code == 200


def test_the_staff_idle_timeout_is_configurable(settings, staff, time_machine):
    settings.STAFF_SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    at(time_machine, "08:06:00")
    response = staff.get("/admin/")
    assert response.status_code == 302
    assert "après 5 minutes sans activité" in staff.get(response.url).content.decode()


def test_the_staff_maximum_age_is_configurable(settings, staff, time_machine):
    settings.STAFF_SESSION_MAX_AGE = timedelta(hours=1)
    for clock in ("08:10:00", "08:20:00", "08:30:00", "08:40:00", "08:50:00", "09:00:00"):
        at(time_machine, clock)
        assert staff.get("/admin/").status_code == 200
    at(time_machine, "09:01:00")
    response = staff.get("/admin/")
    assert response.status_code == 302
    assert "dure au plus 1 heure." in staff.get(response.url).content.decode()


def test_a_staff_member_on_a_parent_page_is_sent_to_the_parents_login(staff, time_machine):
    at(time_machine, "08:16:00")
    response = staff.get("/")
    assert response.url == "/connexion/?next=/"
