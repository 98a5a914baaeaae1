"""Shared steps of the simulator's tests: a valid creation request, the payer's clicks."""

from urllib.parse import urlsplit

from django.test import Client

from billing.payfip_client import payfip_client, payment_page_url

BANNER = "Simulateur PayFiP — aucun paiement réel"
# The commune's side in these tests (tests/payfip_simulator/urls.py answers 200 on both).
NOTIFICATION_PATH = "/test-payfip/notification/"
RETURN_PATH = "/test-payfip/retour/"


def request_fields(base: str, **overrides) -> dict:
    """What eopayment's `get_idop` takes, valid unless overridden."""
    return {
        "numcli": "123456",
        "saisie": "T",
        "exer": "2026",
        "refdet": "F2026RE000042",
        "montant": "4250",
        "mel": "claire@example.org",
        "objet": "Facture octobre 2026",
        "url_notification": base + NOTIFICATION_PATH,
        "url_redirect": base + RETURN_PATH,
        **overrides,
    }


def create_idop(base: str, **overrides) -> str:
    return payfip_client().get_idop(**request_fields(base, **overrides))


def page_path(idop: str) -> str:
    """The payment page as the payer's browser reaches it (the configured payment URL)."""
    url = urlsplit(payment_page_url(idop))
    return f"{url.path}?{url.query}"


def open_page(browser: Client, idop: str):
    return browser.get(page_path(idop))


def decide(browser: Client, idop: str, decision: str, *, skip_notification: bool = False):
    data = {"decision": decision}
    if skip_notification:
        data["skip_notification"] = "1"
    return browser.post(page_path(idop), data, follow=True)
