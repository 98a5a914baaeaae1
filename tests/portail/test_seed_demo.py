from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import Family, User
from children.models import Child

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
    assert set(agent.groups.values_list("name", flat=True)) == {"Comptabilité", "Enfance Jeunesse"}
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
