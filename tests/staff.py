"""The staff persona allowed to see health data, next to the plain `agent` who is not."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import User

HEALTH_GROUP = "Données de santé"
PASSWORD = "Bonjour-2026"


def health_group() -> Group:
    """The group the data migration made (made again if a transactional test flushed it)."""
    group = Group.objects.filter(name=HEALTH_GROUP).first()
    if group is None:
        migration = importlib.import_module(
            "children.migrations.0004_health_group_and_record_permissions"
        )
        migration.grant(apps, None)
        group = Group.objects.get(name=HEALTH_GROUP)
    return group


@pytest.fixture
def health_agent(agent) -> User:
    """An Enfance Jeunesse agent who is also in « Données de santé »."""
    user = User(username="referente.sante", is_staff=True, first_name="Nadia", last_name="Roche")
    user.set_chosen_password(PASSWORD)
    user.save()
    user.groups.add(*agent.groups.all(), health_group())
    return user


@pytest.fixture
def health_agent_client(health_agent) -> Client:
    client = Client()
    client.force_login(health_agent)
    return client
