from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from accounts.models import Family, Guardian, User
from billing.models import Invoice, Payment
from children.models import AuthorisedPerson, Child, Consents, Health
from messaging.models import Message, OutgoingEmail

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return (
        sorted(User.objects.values_list("username", "password", "family__name", "is_staff")),
        sorted(Family.objects.values_list("name", flat=True)),
        sorted(Child.objects.values_list("first_name", "family__name", "birth_date")),
        sorted(Guardian.objects.values_list("first_name", "family__name", "mobile_phone")),
        sorted(Family.objects.values_list("name", "quotient", "billing_guardian__first_name")),
        sorted(Health.objects.values_list("child__first_name", "allergies", "diets", "pai")),
        sorted(AuthorisedPerson.objects.values_list("child__first_name", "last_name")),
        sorted(Consents.objects.values_list("child__first_name", "image_rights")),
        # Nothing saved again either: the history would show it.
        Family.history.count() + Guardian.history.count() + Health.history.count(),
    )


def test_seed_demo_prints_the_contract_logins():
    out = seed()
    for words in (
        "martin",
        "Famille-2026",
        "durand",
        "Courrier-2026",
        "agent",
        "Mairie-2026",
        "admin",
        "Admin-2026",
    ):
        assert words in out


def test_a_second_run_changes_nothing():
    seed()
    before = snapshot()
    seed()
    assert snapshot() == before


def test_the_demo_families_have_two_children_each_and_the_right_logins():
    seed()
    martin = User.objects.get(username="martin")
    durand = User.objects.get(username="durand")
    assert martin.family != durand.family
    assert martin.family.children.count() >= 2
    assert durand.family.children.count() >= 2
    assert not martin.must_change_password
    assert durand.must_change_password
    agent = User.objects.get(username="agent")
    assert agent.is_staff and not agent.is_superuser
    assert set(agent.groups.values_list("name", flat=True)) == {
        "Comptabilité",
        "Enfance Jeunesse",
        "Données de santé",
    }
    assert User.objects.get(username="admin").is_superuser


def test_the_demo_logins_work(settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    seed()
    client = Client()
    client.post("/connexion/", {"username": "martin", "password": "Famille-2026"})
    assert client.get("/").status_code == 200
    client = Client()
    client.post("/connexion/", {"username": "durand", "password": "Courrier-2026"})
    assert client.get("/").url == "/compte/mot-de-passe/"


def test_a_changed_demo_password_is_put_back():
    seed()
    durand = User.objects.get(username="durand")
    durand.set_chosen_password("Autre-Chose-9")
    durand.save()
    seed()
    durand.refresh_from_db()
    assert durand.check_password("Courrier-2026")
    assert durand.must_change_password


def test_the_demo_families_have_guardians_health_data_and_a_quotient():
    seed()
    martin = Family.objects.get(name="MARTIN")
    durand = Family.objects.get(name="DURAND")
    assert sorted(martin.guardians.values_list("first_name", "relationship")) == [
        ("Claire", "mother"),
        ("Paul", "father"),
    ]
    assert list(durand.guardians.values_list("first_name", flat=True)) == ["Sophie"]
    assert martin.billing_guardian.first_name == "Claire"
    assert durand.billing_guardian.first_name == "Sophie"
    assert martin.quotient is not None and martin.quotient_valid_until is not None
    assert durand.quotient is None  # no quotient: top tariff
    assert Health.objects.filter(pai=True).exclude(allergies="").exists()
    assert Health.objects.filter(diets__contains=["no_pork"]).exists()
    assert AuthorisedPerson.objects.filter(child__family=martin, emergency_contact=True).exists()
    assert Consents.objects.count() == Child.objects.count()


DEMO_STAFF = [("agent", "Mairie-2026"), ("admin", "Admin-2026")]


def demo_code(secret: str) -> str:
    from base64 import b32decode

    from django_otp.oath import totp

    return f"{totp(b32decode(secret)):06d}"


def test_seed_demo_prints_the_demo_staffs_second_factor_keys():
    out = seed()
    assert "Double authentification (si STAFF_TWO_FACTOR=true" in out
    assert "agent    clé VALM ONTS URLO IREA GENT DEMO PORT AIL2" in out
    assert "admin    clé VALM ONTS URLO IREA DMIN DEMO PORT AIL2" in out


def test_a_second_run_keeps_the_demo_devices():
    from django_otp.plugins.otp_totp.models import TOTPDevice

    seed()
    before = sorted(TOTPDevice.objects.values_list("pk", "user__username", "key", "confirmed"))
    assert sorted((name, confirmed) for _, name, _, confirmed in before) == [
        ("admin", True),
        ("agent", True),
    ]
    seed()
    assert sorted(TOTPDevice.objects.values_list("pk", "user__username", "key", "confirmed")) == (
        before
    )


@pytest.mark.parametrize(
    ("username", "password"), [("agent", "Mairie-2026"), ("admin", "Admin-2026")]
)
def test_with_two_factor_off_the_demo_staff_log_in_with_their_password_only(
    settings, username, password
):
    settings.STAFF_TWO_FACTOR = False
    seed()
    client = Client()
    client.post("/admin/login/", {"username": username, "password": password})
    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize(
    ("username", "password"), [("agent", "Mairie-2026"), ("admin", "Admin-2026")]
)
def test_with_two_factor_on_the_printed_key_opens_the_admin(
    settings, time_machine, username, password
):
    from portail.demo import DEMO_TOTP_SECRETS

    settings.STAFF_TWO_FACTOR = True
    time_machine.move_to("2026-03-10 08:00:00+01:00", tick=False)
    seed()
    client = Client()
    client.post("/admin/login/", {"username": username, "password": password})
    response = client.get("/admin/")
    assert response.url.startswith("/admin/double-authentification/verifier/")
    client.post(response.url, {"code": demo_code(DEMO_TOTP_SECRETS[username])})
    assert client.get("/admin/").status_code == 200


def test_the_demo_inbox_messages_carry_their_own_past_dates(time_machine):
    # Mid-January: the invoices of September to December were issued on the 1st of the
    # next month, and MARTIN paid two of them at the desk some days later.
    today = timezone.make_aware(datetime(2026, 1, 15, 9, 30))
    time_machine.move_to(today, tick=False)
    seed()
    messages = list(Message.objects.filter(recipient__name="MARTIN").order_by("created_at"))
    assert len(messages) >= 4
    assert all(message.created_at < today - timedelta(days=1) for message in messages)
    assert len({message.created_at.date() for message in messages}) == len(messages)
    for invoice in Invoice.objects.filter(family__name="MARTIN"):
        notice = next(m for m in messages if m.link_url == f"/factures/{invoice.pk}/")
        assert notice.created_at == invoice.issued_at
    for payment in Payment.objects.filter(family__name="MARTIN"):
        receipt = next(m for m in messages if payment.receipt_number in m.subject)
        assert receipt.created_at == payment.received_at


def test_the_second_guardian_of_the_demo_can_ask_for_a_password(client):
    seed()
    client.post("/connexion/mot-de-passe-oublie/", {"email": "paul.martin@example.org"})
    resets = OutgoingEmail.objects.filter(contains_secret=True)
    assert list(resets.values_list("to", flat=True)) == ["paul.martin@example.org"]


def test_seed_demo_says_where_development_emails_are_read(settings):
    settings.DEBUG = True
    settings.PORTAL_URL = "http://127.0.0.1:8105/"
    assert "Courriels envoyés : http://127.0.0.1:8105/courriels-envoyes/" in seed()


def test_seed_demo_refuses_a_database_with_a_real_communes_data(settings):
    """A production database: the demo would give « admin » a public password."""
    settings.DEBUG = False
    Family.objects.create(name="LEROY", postal_code="45000", city="Valmont")
    real_admin = User.objects.create(username="admin", is_staff=True, is_superuser=False)
    real_admin.set_unusable_password()
    real_admin.save()

    with pytest.raises(CommandError, match=r"données réelles \(1 famille\(s\) hors démonstration"):
        seed()

    real_admin.refresh_from_db()
    assert (real_admin.is_superuser, real_admin.has_usable_password()) == (False, False)
    assert not Family.objects.filter(name="MARTIN").exists()


def test_seed_demo_loads_over_such_data_when_forced_or_in_development(settings):
    Family.objects.create(name="LEROY", postal_code="45000", city="Valmont")
    settings.DEBUG = False
    call_command("seed_demo", "--force", stdout=StringIO())
    assert User.objects.get(username="admin").check_password("Admin-2026")
    settings.DEBUG = True
    User.objects.filter(username="admin").update(password="")
    seed()
    assert User.objects.get(username="admin").check_password("Admin-2026")
