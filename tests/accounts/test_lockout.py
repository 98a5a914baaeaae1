from datetime import timedelta

import pytest
from django.core import mail

from messaging.services import send_pending_emails
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, username, password):
    return client.post("/connexion/", {"username": username, "password": password})


def fail_until_locked(client, settings, username="claire"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(client, username, "mauvais")
    return response


def test_repeated_wrong_passwords_lock_the_identifier_with_a_clear_message(
    client, parent, settings
):
    response = fail_until_locked(client, settings)
    assert response.status_code == 429
    assert "cet identifiant est bloqué pendant 15 minutes" in response.content.decode()
    # Even the right password is refused while locked.
    response = login(client, "claire", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_counts_the_identifier_whatever_its_case(client, parent, settings):
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(client, "Claire" if i % 2 else "CLAIRE", "mauvais")
    assert login(client, "claire", PASSWORD).status_code == 429


def test_the_lock_only_holds_the_identifier_attacked(client, parent, other_parent, settings):
    fail_until_locked(client, settings)
    assert login(client, "sophie", PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, parent, settings, time_machine):
    time_machine.move_to("2026-11-02 08:00:00+01:00", tick=False)
    fail_until_locked(client, settings)
    time_machine.move_to("2026-11-02 08:16:00+01:00", tick=False)
    assert login(client, "claire", PASSWORD).status_code == 302


def test_a_password_reset_lifts_the_lock(client, parent, settings):
    fail_until_locked(client, settings)
    client.post("/connexion/mot-de-passe-oublie/", {"email": parent.email})
    send_pending_emails()
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reinitialiser/" in line)
    path = link.split("testserver", 1)[1]
    form_url = client.get(path).url  # Django swaps the token for a session marker
    client.post(
        form_url, {"new_password1": "Nouveau-Depart-7", "new_password2": "Nouveau-Depart-7"}
    )
    assert login(client, "claire", "Nouveau-Depart-7").status_code == 302


def test_a_successful_login_resets_the_failure_count(client, parent, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "claire", "mauvais")
    assert login(client, "claire", PASSWORD).status_code == 302
    client.post("/deconnexion/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, "claire", "mauvais")
    assert login(client, "claire", PASSWORD).status_code == 302


def test_a_locked_identifier_cannot_reach_the_admin_either(client, agent, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "agent", "password": "mauvais"})
    response = client.post("/admin/login/", {"username": "agent", "password": PASSWORD})
    assert response.status_code == 429
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
