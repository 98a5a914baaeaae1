"""The simulator is an installed app only where it is on; where it is off, the portal migrates
and checks its migrations without it."""

import pytest
from django.apps import apps
from django.db import connection

from tests.portail.test_settings import run_django

INSTALLED = (
    "import django; django.setup(); from django.apps import apps; "
    "print(apps.is_installed('payfip_simulator'))"
)


def _database_url() -> str:
    """The test database, for a second process reading it."""
    db = connection.settings_dict
    host = db["HOST"] or ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    user = db["USER"] or ""
    return f"postgres://{user}@{host}{port}/{db['NAME']}"


@pytest.mark.parametrize(("switch", "expected"), [("false", "False"), ("true", "True")])
def test_the_app_is_installed_only_when_it_is_on(switch, expected):
    result = run_django({"DEBUG": "true", "PAYFIP_SIMULATOR": switch}, INSTALLED)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_no_model_of_the_portal_points_at_the_simulator():
    pointing = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label != "payfip_simulator"
        for field in model._meta.get_fields()
        if field.related_model is not None
        and not isinstance(field.related_model, str)
        and field.related_model._meta.app_label == "payfip_simulator"
    ]

    assert pointing == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command",
    [
        "makemigrations --check --dry-run",
        "migrate --check",
    ],
)
def test_switched_off_the_migrations_are_complete_without_it(command):
    code = (
        "import django, sys; django.setup(); from django.core.management import call_command; "
        f"call_command(*{command.split()!r})"
    )
    result = run_django(
        {"DEBUG": "true", "PAYFIP_SIMULATOR": "false", "DATABASE_URL": _database_url()}, code
    )

    assert result.returncode == 0, result.stdout + result.stderr
