"""martin pays an invoice online from the home page, through the PayFiP simulator: the
same production code as with the treasury's service, only its addresses point at the
simulator. He reads the receipt and comes home to a zero balance."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from billing.models import Payment, Regie
from reservations.models import SchoolYear
from tests.billing.ledger import invoice
from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_journey_foundation import log_in

FRIDAY_20_NOVEMBER = datetime(2026, 11, 20, 18, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def simulator(settings, live_server):
    settings.PAYFIP_SIMULATOR = True
    settings.PORTAL_URL = live_server.url  # where PayFiP sends the parent back
    settings.PAYFIP_SERVICE_URL = f"{live_server.url}/simulateur-payfip/services/securite"
    settings.PAYFIP_PAYMENT_URL = f"{live_server.url}/simulateur-payfip/paiement/"
    settings.ROOT_URLCONF = "tests.payfip_simulator.urls"


def test_martin_pays_an_invoice_online(page: Page, simulator, parent, family, time_machine):
    time_machine.move_to(FRIDAY_20_NOVEMBER, tick=True)
    SchoolYear.objects.create(name="2026-2027", start=date(2026, 9, 1), end=date(2027, 8, 31))
    regie = Regie.objects.create(
        name="Régie enfance", code="E", payee="Régie enfance de Valmont", payfip_numcli="123456"
    )
    october = invoice(
        family,
        regie,
        period=date(2026, 10, 1),
        total="28.20",
        lines=[("Léa MARTIN", "Restauration scolaire — repas", 12, "2.35")],
    )

    log_in(page, "claire", PASSWORD)
    account = page.get_by_role("region", name="Informations compte")
    expect(account).to_contain_text("28,20")
    account.get_by_role("button", name=f"Payer en ligne la facture {october.number}").click()

    # PayFiP's page, here the simulator's: it says so, and the parent pays.
    expect(page.get_by_text("Simulateur PayFiP — aucun paiement réel")).to_be_visible()
    expect(page.get_by_text(october.number, exact=True)).to_be_visible()
    page.get_by_role("button", name="Payer").click()
    expect(page.get_by_role("heading", name="Paiement accepté")).to_be_visible()
    page.get_by_role("button", name="Retourner sur le site de la commune").click()

    expect(page).to_have_url(re.compile(r"/paiement-en-ligne/[0-9a-f-]+/$"))
    expect(page.get_by_text("Paiement accepté.")).to_be_visible()
    paid = Payment.objects.get()
    receipt = page.get_by_role("region", name=re.compile("Reçu de paiement"))
    expect(receipt).to_contain_text(october.number)
    expect(receipt).to_contain_text("28,20")
    expect(receipt).to_contain_text(paid.authorisation_number)
    expect(receipt).to_contain_text(paid.receipt_number)
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le ticket (PDF)").click()
    assert download.value.suggested_filename.endswith(".pdf")

    page.get_by_role("link", name="Retour à l'accueil").click()
    account = page.get_by_role("region", name="Informations compte")
    expect(account).to_contain_text("Toutes vos factures sont réglées.")
    expect(account.locator(".balance")).to_have_text("0,00 €")
    expect(account.get_by_role("button", name=re.compile("Payer en ligne"))).to_have_count(0)
    assert_accessible(page)
