"""A parent opens the statement of the current school year from the home page, opens an
invoice and downloads its PDF — on a phone and on a desktop."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from billing.models import Method, Regie
from reservations.models import SchoolYear
from tests.billing.ledger import invoice, payment
from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_journey_foundation import log_in
from tests.messaging.files import pdf_bytes

FRIDAY_20_NOVEMBER = datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def test_a_parent_reads_the_statement_and_downloads_an_invoice(
    page: Page, parent, family, time_machine
):
    time_machine.move_to(FRIDAY_20_NOVEMBER, tick=False)
    SchoolYear.objects.create(name="2025-2026", start=date(2025, 9, 1), end=date(2026, 8, 31))
    SchoolYear.objects.create(name="2026-2027", start=date(2026, 9, 1), end=date(2027, 8, 31))
    regie = Regie.objects.create(name="Régie enfance", code="E", payee="Régie enfance de Valmont")
    september = invoice(family, regie, period=date(2026, 9, 1), total="52.00", pdf=pdf_bytes())
    payment(
        family,
        regie,
        amount="52.00",
        received=date(2026, 10, 12),
        method=Method.CHEQUE,
        settles=september,
    )
    october = invoice(
        family,
        regie,
        period=date(2026, 10, 1),
        total="28.20",
        lines=[("Léa MARTIN", "Restauration scolaire — repas", 12, "2.35")],
        pdf=pdf_bytes(),
    )

    log_in(page, "claire", PASSWORD)
    account = page.get_by_role("region", name="Informations compte")
    expect(account).to_contain_text("28,20")
    expect(account).to_contain_text("À régler avant le 1er décembre 2026")
    account.get_by_role("link", name="Voir mes factures").click()

    expect(page).to_have_url(re.compile(r"/factures/$"))
    page.get_by_label("Année scolaire", exact=True).select_option("2026-2027")
    page.get_by_role("button", name="Afficher").click()
    expect(page).to_have_url(re.compile(r"/factures/\?annee=2026-2027$"))
    expect(page.get_by_role("heading", name="Relevé des opérations")).to_be_visible()
    statement = page.get_by_role("table")
    expect(statement).to_contain_text("Ancien Solde")
    expect(statement).to_contain_text("Facture Octobre 2026 — Régie enfance")
    expect(statement).to_contain_text("Chèque")
    expect(statement).to_contain_text("Solde du Compte pour l'année scolaire")
    assert_accessible(page)

    statement.get_by_role("link", name=october.number).click()
    expect(page.get_by_role("heading", name=f"Facture n° {october.number}")).to_be_visible()
    expect(page.get_by_text("Restauration scolaire — repas")).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger la facture (PDF)").click()
    assert download.value.suggested_filename == f"facture-{october.number}.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == pdf_bytes()
