"""PORTAL_URL in development follows the address `make run` serves on (HOST, PORT), so that
« Payer en ligne », PDFs and e-mails point at this server, not at one on port 8000."""

import subprocess

import pytest

from tests.portail.test_settings import ROOT, run_django

SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.PORTAL_URL, settings.PAYFIP_SERVICE_URL, settings.PAYFIP_PAYMENT_URL)"
)


def settings_with(**env: str) -> list[str]:
    # The test's own environment must not decide: HOST, PORT and PORTAL_URL are set here.
    base = {"HOST": "", "PORT": "", "PORTAL_URL": "", "PAYFIP_SIMULATOR": "true"}
    result = run_django({**base, "DEBUG": "true", **env}, SHOW)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize(
    ("env", "url"),
    [
        ({}, "http://127.0.0.1:8000/"),
        ({"PORT": "8105"}, "http://127.0.0.1:8105/"),
        ({"HOST": "localhost", "PORT": "8123"}, "http://localhost:8123/"),
        ({"HOST": "0.0.0.0", "PORT": "8123"}, "http://127.0.0.1:8123/"),  # noqa: S104
        ({"HOST": "::1", "PORT": "8123"}, "http://[::1]:8123/"),
    ],
)
def test_the_development_default_follows_host_and_port(env, url):
    portal, service, payment = settings_with(**env)
    assert portal == url
    # The PayFiP simulator is called on this server, not on another one.
    assert service == url + "simulateur-payfip/services/securite"
    assert payment == url + "simulateur-payfip/paiement/"


def test_an_explicit_portal_url_wins_over_host_and_port():
    portal, *_ = settings_with(PORT="8105", PORTAL_URL="https://famille.example.fr/")
    assert portal == "https://famille.example.fr/"


def test_a_bad_port_stops_the_start():
    result = run_django({"DEBUG": "true", "PORTAL_URL": "", "PORT": "huit-mille"})
    assert result.returncode != 0
    assert "PORT='huit-mille' n'est pas un nombre entier entre 1 et 65535" in result.stderr


def test_production_has_no_default_whatever_the_port():
    show = SHOW.replace(
        "print(settings.PORTAL_URL, settings.PAYFIP_SERVICE_URL, settings.PAYFIP_PAYMENT_URL)",
        "print(repr(settings.PORTAL_URL))",
    )
    result = run_django(
        {
            "DEBUG": "false",
            "SECRET_KEY": "k" * 20 + "Zq8-vW3!xP0#rT6&yU1@bN5$mL9^cE2*",
            "ALLOWED_HOSTS": "famille.example.fr",
            "PAYFIP_SIMULATOR": "false",
            "PORTAL_URL": "",
            "PORT": "8105",
        },
        show,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "''"


def test_make_run_hands_host_and_port_to_the_server_and_the_demo():
    dry_run = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    commands = [line for line in dry_run.splitlines() if "manage.py" in line]
    for name in ("seed_demo", "runserver"):
        line = next(line for line in commands if f"manage.py {name}" in line)
        assert "HOST=127.0.0.1" in line and "PORT=8123" in line, line
    assert any("runserver 127.0.0.1:8123" in line for line in commands)
