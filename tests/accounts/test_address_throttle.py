"""Password spraying from one address: past 30 failures in 15 minutes, it gets a 429 page."""

import pytest
from axes.models import AccessFailureLog
from django.test import Client

from accounts.models import SecurityEvent, SecurityEventKind
from accounts.security_log import address_range
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SPRAYER = "198.51.100.7"
NEIGHBOUR = "203.0.113.20"
RETRY_AT = "Réessayez à partir de 21h47"


def login(client, username, password, path="/connexion/"):
    return client.post(path, {"username": username, "password": password})


@pytest.fixture
def evening(time_machine):
    time_machine.move_to("2026-11-02 21:32:00+01:00", tick=False)
    return time_machine


def spray(client, settings, rounds=2, identifiers=60):
    """A few guesses for each of many identifiers; returns the status codes in order."""
    codes = []
    for guess in range(rounds):
        for i in range(identifiers):
            codes.append(login(client, f"parent{i:02d}", f"Devine-{guess}").status_code)
    return codes


def test_an_address_spraying_identifiers_is_stopped_after_30_failures(evening, settings):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    codes = spray(sprayer, settings)
    assert codes[:29] == [200] * 29
    assert set(codes[29:]) == {429}
    # Refused attempts are not counted as failures: the block ends when the page says.
    assert AccessFailureLog.objects.filter(ip_address=SPRAYER).count() == 30


def test_the_page_says_in_french_when_to_try_again(evening, settings, parent):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    spray(sprayer, settings, rounds=1, identifiers=30)
    response = login(sprayer, "claire", PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de mots de passe incorrects ont été saisis depuis votre adresse" in page
    assert RETRY_AT in page
    assert response["Retry-After"] == str(15 * 60 + 1)
    # Even the right password does not open a session from that address.
    assert "_auth_user_id" not in sprayer.session


def test_the_admin_login_is_held_by_the_same_limit(evening, settings, agent):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    for i in range(15):
        login(sprayer, f"parent{i:02d}", "Devine-1")
        login(sprayer, f"agent{i:02d}", "Devine-1", "/admin/login/")
    response = login(sprayer, "agent", PASSWORD, "/admin/login/")
    assert response.status_code == 429
    assert RETRY_AT in response.content.decode()
    assert "_auth_user_id" not in sprayer.session


def test_another_address_still_logs_in(evening, settings, parent):
    spray(Client(REMOTE_ADDR=SPRAYER), settings, rounds=1, identifiers=40)
    neighbour = Client(REMOTE_ADDR=NEIGHBOUR)
    assert login(neighbour, "claire", PASSWORD).status_code == 302


def test_the_address_may_try_again_after_15_minutes(evening, settings, parent):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    spray(sprayer, settings, rounds=1, identifiers=30)
    # Attempts while blocked are not counted: they do not push the time back.
    evening.move_to("2026-11-02 21:46:00+01:00", tick=False)
    assert login(sprayer, "claire", PASSWORD).status_code == 429
    evening.move_to("2026-11-02 21:47:00+01:00", tick=False)
    assert login(sprayer, "claire", PASSWORD).status_code == 302


def test_failures_older_than_the_window_do_not_count(evening, settings):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    spray(sprayer, settings, rounds=1, identifiers=20)
    evening.move_to("2026-11-02 21:48:00+01:00", tick=False)
    codes = spray(sprayer, settings, rounds=1, identifiers=20)
    assert codes == [200] * 20


def test_a_trusted_browser_passes_the_address_limit(evening, settings, parent):
    family_pc = Client(REMOTE_ADDR=SPRAYER)
    assert login(family_pc, "claire", PASSWORD).status_code == 302
    family_pc.post("/deconnexion/")
    spray(Client(REMOTE_ADDR=SPRAYER), settings, rounds=1, identifiers=30)
    assert login(family_pc, "claire", PASSWORD).status_code == 302
    family_pc.post("/deconnexion/")
    # It is trusted for Claire only, not for guessing other identifiers.
    assert login(family_pc, "parent99", "Devine-1").status_code == 429


def test_the_limit_is_a_setting(evening, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 100
    codes = spray(Client(REMOTE_ADDR=SPRAYER), settings, rounds=1, identifiers=60)
    assert codes == [200] * 60


def test_a_forwarded_header_does_not_change_the_address(evening, settings, parent):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    spray(sprayer, settings, rounds=1, identifiers=30)
    response = sprayer.post(
        "/connexion/",
        {"username": "claire", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=NEIGHBOUR,
    )
    assert response.status_code == 429


def test_the_block_is_in_the_security_log(evening, settings):
    sprayer = Client(REMOTE_ADDR=SPRAYER)
    spray(sprayer, settings, rounds=1, identifiers=30)
    block = SecurityEvent.objects.get(kind=SecurityEventKind.LOCKOUT, ip_address=SPRAYER)
    assert "adresse bloquée jusqu'à 21h47" in block.detail
    # Then each refused attempt is not a line of its own.
    login(sprayer, "parent99", "Devine-1")
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKOUT).count() == 1


def test_an_identifier_lock_is_in_the_security_log(client, parent, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        login(client, "Claire", "Devine-1")
    lock = SecurityEvent.objects.get(kind=SecurityEventKind.LOCKOUT)
    assert (lock.username, lock.detail) == ("claire", "identifiant bloqué 15 minutes")


def test_behind_the_reverse_proxy_each_family_has_its_own_address(evening, settings, parent):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    sprayer = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=SPRAYER)
    spray(sprayer, settings, rounds=1, identifiers=30)
    assert login(sprayer, "claire", PASSWORD).status_code == 429
    neighbour = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=NEIGHBOUR)
    assert login(neighbour, "claire", PASSWORD).status_code == 302


def test_an_ipv6_subscriber_is_one_address_for_the_limit(evening, settings, parent):
    """A phone picks a new address in its /64 at will: the /64 counts as one address."""
    for i in range(30):
        login(Client(REMOTE_ADDR=f"2001:db8:4:7::{i + 1:x}"), f"parent{i:02d}", "Devine-0")
    same_subscriber = Client(REMOTE_ADDR="2001:db8:4:7:a:b:c:d")
    assert login(same_subscriber, "claire", PASSWORD).status_code == 429
    next_subscriber = Client(REMOTE_ADDR="2001:db8:4:8::1")
    assert login(next_subscriber, "claire", PASSWORD).status_code == 302


def test_an_ipv4_address_counts_alone_even_written_as_ipv6():
    mapped = "::ffff:198.51.100.7"  # as a dual-stack socket hands it over
    assert address_range(mapped) == (mapped, mapped)
    assert address_range(SPRAYER) == (SPRAYER, SPRAYER)
    assert address_range("2001:db8:4:7:a:b:c:d") == (
        "2001:db8:4:7::",
        "2001:db8:4:7:ffff:ffff:ffff:ffff",
    )
