"""A browser where a parent logged in before is not locked out by a stranger's guesses."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from accounts.trusted_devices import COOKIE_NAME
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED = "cet identifiant est bloqué pendant 15 minutes, sauf sur les appareils où vous"
DEVICE_LOCKED = "cet identifiant est bloqué sur cet appareil pendant 15 minutes"


def login(client, username, password, path="/connexion/"):
    return client.post(path, {"username": username, "password": password})


def browser_that_logged_in(username, path="/connexion/") -> Client:
    browser = Client()
    assert login(browser, username, PASSWORD, path).status_code == 302
    browser.post("/deconnexion/")
    return browser


def stranger_locks(username, settings, path="/connexion/") -> None:
    stranger = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login(stranger, username, "devine", path)
    assert response.status_code == 429


def test_a_login_leaves_a_signed_http_only_long_lived_cookie(client, parent, settings):
    settings.SESSION_COOKIE_SECURE = True
    response = login(client, "claire", PASSWORD)
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["secure"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 180 * 24 * 60 * 60
    assert "claire" not in cookie.value and PASSWORD not in cookie.value


def test_a_wrong_password_leaves_no_cookie(client, parent):
    response = login(client, "claire", "mauvais")
    assert COOKIE_NAME not in response.cookies


def test_the_owner_s_browser_logs_in_while_a_stranger_locked_the_identifier(parent, settings):
    owner = browser_that_logged_in("claire")
    stranger_locks("claire", settings)
    # A new browser is held by the lock, as before …
    new_browser = Client()
    response = login(new_browser, "claire", PASSWORD)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    # … but the browser where Claire logged in before is not.
    response = login(owner, "Claire", PASSWORD)
    assert response.status_code == 302
    assert owner.session["_auth_user_id"] == str(parent.pk)


def test_the_lock_still_holds_new_browsers_after_the_owner_logged_in(parent, settings):
    owner = browser_that_logged_in("claire")
    stranger_locks("claire", settings)
    assert login(owner, "claire", PASSWORD).status_code == 302
    assert login(Client(), "claire", PASSWORD).status_code == 429


def test_a_trusted_browser_that_guesses_wrong_is_locked_too(parent, settings):
    owner = browser_that_logged_in("claire")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(owner, "claire", "devine").status_code == 200
    response = login(owner, "claire", "devine")
    assert response.status_code == 429
    assert DEVICE_LOCKED in response.content.decode()
    assert login(owner, "claire", PASSWORD).status_code == 429
    assert "_auth_user_id" not in owner.session


def test_a_trusted_browser_s_lock_lifts_after_the_cool_off(parent, settings, time_machine):
    time_machine.move_to("2026-11-02 08:00:00+01:00", tick=False)
    owner = browser_that_logged_in("claire")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(owner, "claire", "devine")
    time_machine.move_to("2026-11-02 08:16:00+01:00", tick=False)
    assert login(owner, "claire", PASSWORD).status_code == 302


def test_the_cookie_of_one_parent_does_not_help_another(parent, second_guardian, settings):
    browser = browser_that_logged_in("claire")
    stranger_locks(second_guardian.username, settings)
    assert login(browser, second_guardian.username, PASSWORD).status_code == 429
    # Claire herself still passes in her browser.
    assert login(browser, "claire", PASSWORD).status_code == 302


def test_two_parents_sharing_a_browser_are_both_trusted(parent, second_guardian, settings):
    browser = browser_that_logged_in("claire")
    assert login(browser, second_guardian.username, PASSWORD).status_code == 302
    browser.post("/deconnexion/")
    stranger_locks("claire", settings)
    stranger_locks(second_guardian.username, settings)
    assert login(browser, "claire", PASSWORD).status_code == 302
    browser.post("/deconnexion/")
    assert login(browser, second_guardian.username, PASSWORD).status_code == 302


def test_a_new_password_revokes_the_trusted_browsers(parent, settings):
    browser = browser_that_logged_in("claire")
    user = get_user_model().objects.get(pk=parent.pk)
    user.set_chosen_password("Nouveau-Depart-7")
    user.save()
    stranger_locks("claire", settings)
    assert login(browser, "claire", "Nouveau-Depart-7").status_code == 429


def test_the_browser_where_the_password_was_changed_stays_trusted(parent, settings):
    browser = Client()
    login(browser, "claire", PASSWORD)
    response = browser.post(
        "/compte/mot-de-passe/",
        {
            "old_password": PASSWORD,
            "new_password1": "Nouveau-Depart-7",
            "new_password2": "Nouveau-Depart-7",
        },
    )
    assert response.status_code == 302
    browser.post("/deconnexion/")
    stranger_locks("claire", settings)
    assert login(browser, "claire", "Nouveau-Depart-7").status_code == 302


def test_a_forged_cookie_is_worth_nothing(parent, settings):
    browser = browser_that_logged_in("claire")
    value = browser.cookies[COOKIE_NAME].value
    forged = Client()
    forged.cookies[COOKIE_NAME] = value[:-3] + ("abc" if not value.endswith("abc") else "xyz")
    stranger_locks("claire", settings)
    assert login(forged, "claire", PASSWORD).status_code == 429
    # The genuine cookie, copied to another browser, is the device itself (it is the secret).
    copied = Client()
    copied.cookies[COOKIE_NAME] = value
    assert login(copied, "claire", PASSWORD).status_code == 302


def test_the_trust_expires_after_180_days(parent, settings, time_machine):
    time_machine.move_to("2026-03-02 08:00:00+01:00", tick=False)
    browser = browser_that_logged_in("claire")
    time_machine.shift(timedelta(days=181))
    stranger_locks("claire", settings)
    assert login(browser, "claire", PASSWORD).status_code == 429


def test_the_trust_lasts_within_180_days(parent, settings, time_machine):
    time_machine.move_to("2026-03-02 08:00:00+01:00", tick=False)
    browser = browser_that_logged_in("claire")
    time_machine.shift(timedelta(days=179))
    stranger_locks("claire", settings)
    assert login(browser, "claire", PASSWORD).status_code == 302


def test_a_staff_member_s_browser_passes_the_admin_lock_too(agent, settings):
    browser = browser_that_logged_in("agent", "/admin/login/")
    stranger_locks("agent", settings, "/admin/login/")
    assert login(Client(), "agent", PASSWORD, "/admin/login/").status_code == 429
    response = login(browser, "agent", PASSWORD, "/admin/login/")
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(agent.pk)
