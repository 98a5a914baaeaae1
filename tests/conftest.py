"""Personas shared by every test: two families, their parents, and staff."""

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import Family, User
from children.models import Child, School
from tests.reference_data import restore_reference_data

PASSWORD = "Bonjour-2026"

pytest_plugins = ["tests.payfip_http"]  # payfip_simulator, payfip_in_process


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Password hashing is deliberately slow in production; tests need no such protection.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_parent(family: Family, username: str, **fields) -> User:
    user = User(username=username, family=family, email=f"{username}@example.org", **fields)
    user.set_chosen_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def school(db) -> School:
    return School.objects.create(name="École Jules-Ferry")


@pytest.fixture
def family(db, school) -> Family:
    family = Family.objects.create(
        name="MARTIN", address_line1="12 rue des Tilleuls", postal_code="45000", city="Valmont"
    )
    Child.objects.create(
        family=family,
        first_name="Léa",
        last_name="MARTIN",
        birth_date=date(2017, 3, 14),
        school=school,
        school_class="CE2",
    )
    Child.objects.create(
        family=family,
        first_name="Hugo",
        last_name="MARTIN",
        birth_date=date(2020, 10, 2),
        school=school,
        school_class="GS",
    )
    return family


@pytest.fixture
def parent(family) -> User:
    return make_parent(family, "claire", first_name="Claire", last_name="MARTIN")


@pytest.fixture
def second_guardian(family) -> User:
    return make_parent(family, "paul", first_name="Paul", last_name="MARTIN")


@pytest.fixture
def other_family(db, school) -> Family:
    family = Family.objects.create(name="DURAND", city="Valmont")
    Child.objects.create(
        family=family,
        first_name="Inès",
        last_name="DURAND",
        birth_date=date(2016, 6, 21),
        school=school,
        school_class="CM1",
    )
    return family


@pytest.fixture
def other_parent(other_family) -> User:
    return make_parent(other_family, "sophie", first_name="Sophie", last_name="DURAND")


@pytest.fixture
def reference_data(db) -> None:
    """What the data migrations made, even after a transactional test flushed it."""
    if not Group.objects.filter(name="Enfance Jeunesse").exists():
        restore_reference_data()


@pytest.fixture(autouse=True)
def _reference_data_for_database_tests(request) -> None:
    # Every database test sees the groups and services a real installation has, whatever
    # transactional test (and its flush) ran before it on the same worker.
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        request.fixturenames
    ):
        request.getfixturevalue("reference_data")


@pytest.fixture
def agent(reference_data) -> User:
    user = User(username="agent", is_staff=True, first_name="Agnès", last_name="Lefèvre")
    user.set_chosen_password(PASSWORD)
    user.save()
    user.groups.add(
        Group.objects.get(name="Comptabilité"), Group.objects.get(name="Enfance Jeunesse")
    )
    return user


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("admin", "admin@example.org", PASSWORD)


@pytest.fixture
def parent_client(parent) -> Client:
    """A browser of its own: the `client` fixture stays free for another persona."""
    client = Client()
    client.force_login(parent)
    return client


@pytest.fixture
def agent_client(agent) -> Client:
    client = Client()
    client.force_login(agent)
    return client


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Private uploads of a test go to its own temporary folder, never into the checkout."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "messaging.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private")},
        },
    }
