"""Staff pass a second factor (an authenticator app, or a recovery code) before any admin page."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import SecurityEvent, SecurityEventKind
from tests.conftest import PASSWORD
from tests.portail.test_settings import GOOD_KEY, run_django

pytestmark = pytest.mark.django_db

ENROL = "/admin/double-authentification/activer/"
VERIFY = "/admin/double-authentification/verifier/"
CODES = "/admin/double-authentification/codes-de-secours/"
MANAGE = "/admin/double-authentification/"
START = "2026-03-10 08:00:00+01:00"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "portail.example.fr",
    "PAYFIP_SIMULATOR": "false",
}


@pytest.fixture(autouse=True)
def two_factor_on(settings, time_machine):
    settings.STAFF_TWO_FACTOR = True
    time_machine.move_to(START, tick=False)


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    # Far from the right one, and outside the one-step tolerance either side.
    return f"{(totp(device.bin_key) + 500_000) % 1_000_000:06d}"


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)


def staff_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def test_a_staff_member_without_a_device_is_sent_to_enrolment_from_any_admin_page(agent_client):
    for path in ("/admin/", "/admin/children/child/", "/admin/accounts/family/"):
        response = agent_client.get(path)
        assert response.status_code == 302
        assert response.url == f"{ENROL}?next={path}"


def test_a_staff_member_with_a_device_is_sent_to_verification(agent, agent_client):
    enrolled(agent)
    response = agent_client.get("/admin/children/child/")
    assert response.status_code == 302
    assert response.url.startswith(f"{VERIFY}?next=")


def test_logging_in_through_the_parents_page_does_not_skip_it(client, agent):
    enrolled(agent)
    client.post("/connexion/", {"username": "agent", "password": PASSWORD})
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    assert "Saisissez le code" not in page(response)  # no error before any try
    assert "code à 6 chiffres affiché par votre application" in page(response)


def test_logging_in_through_the_admin_page_does_not_skip_it(client, agent):
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "agent", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(ENROL)


def test_enrolment_shows_the_qr_code_and_the_secret_and_a_first_code_opens_the_admin(
    agent, agent_client
):
    response = agent_client.get(f"{ENROL}?next=/admin/children/child/")
    assert response.status_code == 200
    body = page(response)
    assert "<h1>Activer la double authentification</h1>" in body
    assert "<svg" in body
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    assert two_factor.secret_text(device) in body
    assert response.headers["Cache-Control"].count("no-store") == 1
    # Reloading the page shows the same secret: the app added first still works.
    assert two_factor.secret_text(device) in page(agent_client.get(ENROL))
    assert agent_client.get("/admin/").status_code == 302

    response = agent_client.post(ENROL, {"code": code_of(device), "next": "/admin/children/child/"})
    assert response.status_code == 302
    assert response.url == f"{CODES}?next=/admin/children/child/"
    body = page(agent_client.get(response.url))
    codes = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", body)
    assert len(set(codes)) == 10
    assert "ils ne seront plus jamais affichés" in body
    assert 'href="/admin/children/child/"' in body
    # Shown once: coming back shows the status page, not the codes.
    again = agent_client.get(CODES)
    assert again.status_code == 302 and again.url == MANAGE
    assert codes[0] not in page(agent_client.get(MANAGE))

    assert agent_client.get("/admin/children/child/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SECOND_FACTOR_ENROLLED)
    assert (event.actor, event.target, event.ip_address) == (agent, agent, "127.0.0.1")
    assert two_factor.secret_text(device).replace(" ", "") not in event.detail.upper()


def test_a_wrong_code_at_enrolment_is_refused_and_nothing_is_confirmed(agent, agent_client):
    agent_client.get(ENROL)
    device = TOTPDevice.objects.get(user=agent)
    response = agent_client.post(ENROL, {"code": wrong_code_for(device)})
    assert response.status_code == 200
    assert "Code incorrect" in page(response)
    device.refresh_from_db()
    assert not device.confirmed
    assert not StaticDevice.objects.filter(user=agent).exists()
    assert agent_client.get("/admin/").status_code == 302


def test_a_verified_session_opens_the_admin_and_returns_to_the_page_asked(agent, agent_client):
    device = enrolled(agent)
    before = agent_client.session.session_key
    response = agent_client.post(
        VERIFY, {"code": code_of(device), "next": "/admin/children/child/"}
    )
    assert response.status_code == 302
    assert response.url == "/admin/children/child/"
    assert agent_client.get("/admin/children/child/").status_code == 200
    assert agent_client.session.session_key != before  # no fixation across the elevation
    passed = SecurityEvent.objects.get(kind=SecurityEventKind.SECOND_FACTOR_PASSED)
    assert passed.target == agent
    # Verification lasts as long as the session: another browser asks again.
    assert staff_client(agent).get("/admin/").status_code == 302


def test_a_wrong_code_is_refused_with_a_french_message_and_logged(agent, agent_client):
    device = enrolled(agent)
    wrong = wrong_code_for(device)
    response = agent_client.post(VERIFY, {"code": wrong, "next": "/admin/"})
    assert response.status_code == 200
    assert "Code incorrect. Saisissez le code à 6 chiffres" in page(response)
    assert agent_client.get("/admin/").status_code == 302
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SECOND_FACTOR_FAILED)
    assert (event.target, event.ip_address) == (agent, "127.0.0.1")
    assert wrong not in event.detail
    assert event.detail == "code de l'application incorrect"


def test_wrong_codes_make_the_next_try_wait(agent, agent_client, time_machine):
    device = enrolled(agent)
    agent_client.post(VERIFY, {"code": wrong_code_for(device)})
    agent_client.post(VERIFY, {"code": wrong_code_for(device)})
    # Even the right code waits while the device is throttled.
    response = agent_client.post(VERIFY, {"code": code_of(device)})
    assert "Trop de codes incorrects : réessayez après 08:00:01" in page(response)
    assert agent_client.get("/admin/").status_code == 302
    time_machine.move_to("2026-03-10 08:00:31+01:00", tick=False)
    response = agent_client.post(VERIFY, {"code": code_of(device)})
    assert response.status_code == 302
    assert agent_client.get("/admin/").status_code == 200


def test_a_code_cannot_be_used_twice(agent, agent_client):
    device = enrolled(agent)
    code = code_of(device)
    assert agent_client.post(VERIFY, {"code": code}).status_code == 302
    other = staff_client(agent)
    response = other.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "Code incorrect" in page(response)


def test_a_recovery_code_works_once(agent, agent_client):
    enrolled(agent)
    codes = two_factor.new_recovery_codes(request=None, user=agent)
    typed = two_factor.display_code(codes[3]).upper()  # « ABCD-EFGH », as read on paper
    response = agent_client.post(VERIFY, {"code": typed}, follow=True)
    assert response.status_code == 200
    assert "Code de secours accepté : il vous en reste 9." in page(response)
    assert agent_client.get("/admin/").status_code == 200

    other = staff_client(agent)
    response = other.post(VERIFY, {"code": typed})
    assert response.status_code == 200
    assert "Code incorrect" in page(response)
    assert other.get("/admin/").status_code == 302
    assert two_factor.recovery_codes_left(agent) == 9


def test_new_recovery_codes_need_a_verified_session_and_replace_the_old(agent, agent_client):
    device = enrolled(agent)
    old = two_factor.new_recovery_codes(request=None, user=agent)
    response = agent_client.post(CODES)
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    assert two_factor.recovery_codes_left(agent) == 10
    assert StaticDevice.objects.get(user=agent).token_set.filter(token=old[0]).exists()

    agent_client.post(VERIFY, {"code": code_of(device)})
    response = agent_client.post(CODES, follow=True)
    new = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page(response))
    assert len(new) == 10
    assert not StaticDevice.objects.get(user=agent).token_set.filter(token=old[0]).exists()


def test_superusers_and_health_staff_never_get_the_grace(
    settings, superuser, health_agent, health_agent_client
):
    settings.STAFF_TWO_FACTOR_GRACE_DAYS = 7
    for client in (staff_client(superuser), health_agent_client):
        response = client.get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith(ENROL)


def test_the_health_permission_granted_outside_the_group_gets_no_grace_either(
    settings, agent, agent_client
):
    from django.contrib.auth.models import Permission

    settings.STAFF_TWO_FACTOR_GRACE_DAYS = 7
    agent.user_permissions.add(Permission.objects.get(codename="view_health"))
    assert agent_client.get("/admin/").url.startswith(ENROL)


def test_other_staff_may_use_the_admin_during_the_grace_with_a_banner(
    settings, agent, agent_client, time_machine
):
    settings.STAFF_TWO_FACTOR_GRACE_DAYS = 7
    agent.date_joined = timezone.now()
    agent.save()
    response = agent_client.get("/admin/")
    assert response.status_code == 200
    assert "Activez la double authentification avant le 17 mars 2026 à 08h00" in page(response)

    time_machine.move_to("2026-03-17 08:01:00+01:00", tick=False)
    client = staff_client(agent)  # a fresh login: the last one idled out
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith(ENROL)


def test_without_a_grace_setting_nobody_gets_one(agent, agent_client):
    agent.date_joined = timezone.now()
    agent.save()
    assert agent_client.get("/admin/").status_code == 302


def test_a_parent_never_sees_two_factor(client, parent, parent_client):
    response = client.post("/connexion/", {"username": "claire", "password": PASSWORD})
    assert response.url == "/"
    assert client.get("/").status_code == 200
    assert client.get("/compte/").status_code == 200
    for path in (ENROL, VERIFY, CODES, MANAGE):
        assert parent_client.get(path).status_code == 404
    assert not TOTPDevice.objects.filter(user=parent).exists()
    # The admin treats a parent as it always did: its own login page, not a second factor.
    response = parent_client.get("/admin/")
    assert response.url.startswith("/admin/login/")


def test_an_anonymous_visitor_is_sent_to_the_admin_login(client):
    for path in (ENROL, VERIFY, MANAGE):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/?next=")


def test_only_get_and_post_are_answered(agent_client):
    assert agent_client.put(VERIFY).status_code == 405
    assert agent_client.delete(ENROL).status_code == 405


def test_next_never_leaves_the_site(agent, agent_client):
    device = enrolled(agent)
    response = agent_client.post(
        VERIFY, {"code": code_of(device), "next": "https://pirate.example/admin/"}
    )
    assert response.url == "/admin/"


def test_enrolment_is_not_offered_again_once_a_device_exists(agent, agent_client):
    device = enrolled(agent)
    response = agent_client.get(ENROL)
    assert response.url.startswith(VERIFY)
    response = agent_client.post(ENROL, {"code": code_of(device)})
    assert response.url.startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=agent).count() == 1


def test_with_the_setting_off_staff_use_the_admin_with_their_password_only(settings, agent_client):
    settings.STAFF_TWO_FACTOR = False
    assert agent_client.get("/admin/").status_code == 200
    assert agent_client.get("/admin/children/child/").status_code == 200


def test_a_superuser_resets_a_lost_phone_and_it_is_logged(settings, agent, superuser):
    settings.STAFF_TWO_FACTOR = False  # the superuser's own second factor is another test
    device = enrolled(agent)
    two_factor.new_recovery_codes(request=None, user=agent)
    admin_client = staff_client(superuser)
    changelist = "/admin/accounts/staffsecondfactor/"
    listing = admin_client.get(changelist)
    assert listing.status_code == 200
    assert "Réinitialiser la double authentification" in page(listing)
    response = admin_client.post(
        changelist, {"action": "reset_selected", "_selected_action": [device.pk]}, follow=True
    )
    assert "Double authentification réinitialisée pour : agent" in page(response)
    assert not TOTPDevice.objects.filter(user=agent).exists()
    assert not StaticDevice.objects.filter(user=agent).exists()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SECOND_FACTOR_RESET)
    assert (event.actor, event.target) == (superuser, agent)

    settings.STAFF_TWO_FACTOR = True
    assert staff_client(agent).get("/admin/").url.startswith(ENROL)


def test_a_clerk_cannot_open_nor_reset_the_devices(settings, agent, agent_client):
    settings.STAFF_TWO_FACTOR = False
    device = enrolled(agent)
    changelist = "/admin/accounts/staffsecondfactor/"
    assert agent_client.get(changelist).status_code == 403
    response = agent_client.post(
        changelist, {"action": "reset_selected", "_selected_action": [device.pk]}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=agent).exists()
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.SECOND_FACTOR_RESET).exists()


def test_no_admin_page_shows_a_key_or_a_recovery_code(settings, agent, superuser):
    settings.STAFF_TWO_FACTOR = False
    device = enrolled(agent)
    codes = two_factor.new_recovery_codes(request=None, user=agent)
    admin_client = staff_client(superuser)
    for path in (
        "/admin/accounts/staffsecondfactor/",
        f"/admin/accounts/staffsecondfactor/{device.pk}/change/",
    ):
        body = page(admin_client.get(path))
        assert device.key not in body
        assert two_factor.secret_text(device) not in body
        assert codes[0] not in body
    # django-otp's own device admins (keys, QR codes, tokens) are off the site.
    assert TOTPDevice not in admin.site._registry
    assert StaticDevice not in admin.site._registry


def test_a_superuser_verifies_too_and_then_opens_the_admin(superuser):
    device = enrolled(superuser)
    client = staff_client(superuser)
    assert client.get("/admin/").url.startswith(VERIFY)
    client.post(VERIFY, {"code": code_of(device)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_links_to_the_two_factor_page(settings, agent_client):
    settings.STAFF_TWO_FACTOR = False
    body = page(agent_client.get("/admin/"))
    assert f'<a href="{MANAGE}">Double authentification</a>' in body
    status = page(agent_client.get(MANAGE))
    assert "La double authentification n’est pas encore activée" in status


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "true"}, "False"),
        (PRODUCTION, "True"),
        ({"DEBUG": "true", "STAFF_TWO_FACTOR": "true"}, "True"),
    ],
)
def test_two_factor_is_on_by_default_in_production_only(env, expected):
    show = "import django; django.setup(); from django.conf import settings; " + (
        "print(settings.STAFF_TWO_FACTOR)"
    )
    result = run_django(env, show)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.parametrize("value", ["-1", "sept"])
def test_a_bad_grace_setting_stops_the_start(value):
    result = run_django({"DEBUG": "true", "STAFF_TWO_FACTOR_GRACE_DAYS": value})
    assert result.returncode != 0
    assert "STAFF_TWO_FACTOR_GRACE_DAYS doit être un entier positif ou nul" in result.stderr
