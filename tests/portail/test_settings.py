"""Settings come from the environment and fail loudly on a bad value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Set by the browser tests for Playwright's event loop; never set in a deployment.
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
GOOD_KEY = "k" * 20 + "Zq8-vW3!xP0#rT6&yU1@bN5$mL9^cE2*"


def run_django(env_overrides: dict[str, str], code: str = "import django; django.setup()"):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", ASYNC_UNSAFE}
    }
    # The developer's own .env must not leak into these checks.
    env.update({"DJANGO_SETTINGS_MODULE": "portail.settings", "ENV_FILE": os.devnull})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "peut-être"}, "DEBUG='peut-être' n'est pas un booléen"),
        ({"DEBUG": "false", "ALLOWED_HOSTS": "portail.example.fr"}, "SECRET_KEY doit être défini"),
        ({"DEBUG": "false", "SECRET_KEY": GOOD_KEY}, "ALLOWED_HOSTS doit être défini"),
        ({"DEBUG": "true", "DATABASE_URL": "sqlite:///x.db"}, "PostgreSQL"),
        ({"DEBUG": "true", "SESSION_IDLE_MINUTES": "trente"}, "n'est pas un nombre entier"),
        ({"DEBUG": "true", "SESSION_IDLE_MINUTES": "0"}, "strictement positif"),
    ],
)
def test_a_bad_value_stops_the_start_with_a_clear_message(env, message):
    result = run_django(env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_the_environment_wins_over_the_env_file(tmp_path):
    env_file = tmp_path / "test.env"
    env_file.write_text("DEBUG=true\nCOMMUNE_NAME=Mairie du fichier\nCOMMUNE_PHONE=01 01\n")
    show = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.COMMUNE_NAME, '|', settings.COMMUNE_PHONE, '|', settings.DEBUG)"
    )
    result = run_django(
        {"ENV_FILE": str(env_file), "COMMUNE_NAME": "Mairie de l'environnement"}, show
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Mairie de l'environnement | 01 01 | True"


def test_production_settings_pass_the_deploy_check():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **{key: value for key, value in os.environ.items() if key != ASYNC_UNSAFE},
            "DEBUG": "false",
            "SECRET_KEY": GOOD_KEY,
            "ALLOWED_HOSTS": "portail.example.fr",
            # `.env` (a copy of .env.example) turns the PayFiP simulator on for development.
            "PAYFIP_SIMULATOR": "false",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_is_secure_behind_a_tls_proxy(settings):
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
