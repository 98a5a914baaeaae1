"""A parent asks to change the family's phone; an agent approves it in the admin, in a
second browser; the parent finds the new number on the record and the answer in the inbox."""

import re

from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORTS
from tests.e2e.test_journey_contact import open_tab
from tests.e2e.test_journey_foundation import log_in

NEW_PHONE = "02 38 12 34 56"


def approve_in_the_admin(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, locale="fr-FR", **VIEWPORTS["desktop"])
    context.set_default_timeout(TIMEOUT_MS)
    staff = context.new_page()
    staff.goto("/admin/accounts/changerequest/")
    staff.get_by_label(re.compile(r"Nom d.utilisateur")).fill("agent")
    staff.get_by_label("Mot de passe").fill(PASSWORD)
    staff.get_by_role("button", name="Connexion").click()

    staff.get_by_role("link", name="Coordonnées du foyer", exact=False).first.click()
    expect(staff.get_by_text(NEW_PHONE)).to_be_visible()
    staff.get_by_role("button", name="Accepter", exact=True).click()
    expect(staff.get_by_text(re.compile("accept", re.IGNORECASE)).first).to_be_visible()
    context.close()


def test_a_phone_change_is_approved_by_staff_and_the_family_is_told(
    page: Page, browser: Browser, live_server, parent, family, agent, viewport
):
    family.phone = "06 12 34 56 78"
    family.save()
    log_in(page, "claire", PASSWORD)
    open_tab(page, "Mon compte", viewport)
    page.get_by_role(
        "link", name="Demander une modification : Adresse et coordonnées du foyer"
    ).click()
    page.get_by_label("Téléphone du foyer").fill("0238123456")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("En attente de validation")).to_be_visible()
    # Nothing is applied before the town hall says yes.
    family.refresh_from_db()
    assert family.phone == "06 12 34 56 78"

    approve_in_the_admin(browser, live_server.url)

    family.refresh_from_db()
    assert family.phone == NEW_PHONE
    page.goto("/compte/")
    expect(page.get_by_text(NEW_PHONE).first).to_be_visible()
    expect(page.get_by_text("En attente de validation")).to_have_count(0)
    open_tab(page, "Boîte de réception", viewport)
    page.get_by_role("link", name=re.compile("Demande acceptée")).click()
    expect(page.get_by_text(re.compile(f"Téléphone du foyer : {NEW_PHONE}"))).to_be_visible()
    assert_accessible(page)
