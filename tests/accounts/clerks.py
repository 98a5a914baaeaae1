"""Clerks of one service each, next to the `agent` who is in both."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import User

PASSWORD = "Bonjour-2026"


def make_clerk(username: str, group: str) -> User:
    user = User(username=username, is_staff=True, first_name="Jean", last_name="Dupuis")
    user.set_chosen_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clerk(reference_data) -> User:
    """An « Enfance Jeunesse » clerk: manages families and their logins."""
    return make_clerk("jdupuis", "Enfance Jeunesse")


@pytest.fixture
def clerk_client(clerk) -> Client:
    return logged_in(clerk)


@pytest.fixture
def accountant(reference_data) -> User:
    """A « Comptabilité » clerk: reads the families' logins, changes none."""
    return make_clerk("compta", "Comptabilité")


@pytest.fixture
def accountant_client(accountant) -> Client:
    return logged_in(accountant)


@pytest.fixture
def superuser_client(superuser) -> Client:
    return logged_in(superuser)
