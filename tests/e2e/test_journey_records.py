"""A parent asks to change the family's phone and a child's health data, then withdraws one."""

import re

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_journey_foundation import log_in


def test_a_parent_asks_for_changes_and_sees_them_pending(page: Page, parent, family):
    log_in(page, "claire", PASSWORD)
    page.get_by_role("link", name="Mon compte").first.click()
    expect(page.get_by_role("heading", name="Adresse et coordonnées du foyer")).to_be_visible()
    assert_accessible(page)

    page.get_by_role(
        "link", name="Demander une modification : Adresse et coordonnées du foyer"
    ).click()
    expect(page).to_have_url(re.compile(r"/compte/coordonnees/modifier/$"))
    page.get_by_label("Téléphone du foyer").fill("12345")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Numéro de téléphone invalide")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Téléphone du foyer").fill("0238000000")
    page.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(re.compile(r"/compte/#coordonnees$"))
    expect(page.get_by_text("Votre demande a été transmise à la mairie")).to_be_visible()
    expect(page.get_by_text("En attente de validation")).to_be_visible()
    assert_accessible(page)

    page.goto("/enfants/")
    page.get_by_role("link", name="Léa", exact=True).click()
    expect(page.get_by_role("heading", name="Léa MARTIN")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Demander une modification : Santé").click()
    page.get_by_label("Sans porc").check()
    page.get_by_label("Allergies").fill("Arachide")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page.get_by_text("Allergies : Arachide")).to_be_visible()
    page.get_by_role("button", name="Retirer ma demande : Santé de Léa").click()
    expect(page.get_by_text("Votre demande « Santé de Léa » est retirée.")).to_be_visible()
    expect(page.get_by_text("Allergies : Arachide")).to_have_count(0)
