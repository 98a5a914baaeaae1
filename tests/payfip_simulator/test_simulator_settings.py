"""The simulator is on only by configuration, and never silently in production."""

import pytest
from django.test import Client

from payfip_simulator.models import SimulatedPayment
from tests.payfip_simulator.helpers import BANNER
from tests.portail.test_settings import GOOD_KEY, run_django

SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.PAYFIP_SIMULATOR, settings.PAYFIP_SERVICE_URL, settings.PAYFIP_PAYMENT_URL)"
)
RESOLVE = (
    "import django; django.setup(); from django.urls import resolve, Resolver404\n"
    "try:\n    resolve('/simulateur-payfip/services/securite'); print('mounted')\n"
    "except Resolver404:\n    print('absent')"
)
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "portail.example.fr"}


def test_the_simulator_refuses_debug_false_unless_forced():
    result = run_django({**PRODUCTION, "PAYFIP_SIMULATOR": "true"})

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "PAYFIP_SIMULATOR_FORCE" in result.stderr


def test_a_demo_server_may_force_it_with_its_own_address():
    result = run_django(
        {
            **PRODUCTION,
            "PAYFIP_SIMULATOR": "true",
            "PAYFIP_SIMULATOR_FORCE": "true",
            "PORTAL_URL": "https://demo.example.fr/",
        },
        SHOW,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "https://demo.example.fr/simulateur-payfip/services/securite",
        "https://demo.example.fr/simulateur-payfip/paiement/",
    ]


def test_a_bad_value_of_the_switch_stops_the_start():
    result = run_django({"DEBUG": "true", "PAYFIP_SIMULATOR": "peut-être"})

    assert result.returncode != 0
    assert "PAYFIP_SIMULATOR='peut-être' n'est pas un booléen" in result.stderr


def test_off_by_default_the_real_payfip_is_configured():
    result = run_django({"DEBUG": "true", "PAYFIP_SIMULATOR": ""}, SHOW)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "https://www.payfip.gouv.fr/tpa/services/securite",
        "https://www.payfip.gouv.fr/tpa/paiementws.web",
    ]


def test_in_development_it_points_at_the_local_simulator():
    result = run_django({"DEBUG": "true", "PAYFIP_SIMULATOR": "true"}, SHOW)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "http://127.0.0.1:8000/simulateur-payfip/services/securite",
        "http://127.0.0.1:8000/simulateur-payfip/paiement/",
    ]


@pytest.mark.parametrize(("switch", "expected"), [("false", "absent"), ("true", "mounted")])
def test_its_urls_are_mounted_only_when_it_is_on(switch, expected):
    result = run_django({"DEBUG": "true", "PAYFIP_SIMULATOR": switch}, RESOLVE)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


@pytest.mark.django_db
def test_switched_off_its_pages_are_404_even_if_mounted(payfip_simulator, settings):
    payment = SimulatedPayment.objects.create(
        numcli="123456",
        saisie="T",
        exer="2026",
        refdet="F1",
        montant=4250,
        mel="claire@example.org",
        urlnotif="http://127.0.0.1:8000/n/",
        urlredirect="http://127.0.0.1:8000/r/",
    )
    browser = Client()
    assert (
        BANNER in browser.get(f"/simulateur-payfip/paiement/?idop={payment.idop}").content.decode()
    )

    settings.PAYFIP_SIMULATOR = False

    assert browser.get(f"/simulateur-payfip/paiement/?idop={payment.idop}").status_code == 404
    assert (
        browser.post(
            "/simulateur-payfip/services/securite", b"", content_type="text/xml"
        ).status_code
        == 404
    )
