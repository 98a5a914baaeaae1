"""A parent's first visit, on a phone and on a desktop: letter password, own password, logout."""

import re

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible

TEMPORARY_PASSWORD = "Tmp-Abcd-2345"
NEW_PASSWORD = "Nouveau-Depart-7"

HOME = re.compile(r"^https?://[^/]+/$")

TABS = [
    "Mon compte",
    "Mes enfants",
    "Réservations",
    "Factures",
    "Boîte de réception",
    "Nous contacter",
    "Infos./Documents",
]


def log_in(page: Page, username: str, password: str) -> None:
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()


def test_a_visitor_is_sent_to_the_login_page(page: Page):
    page.goto("/")

    expect(page).to_have_url(re.compile(r"/connexion/"))
    expect(page.get_by_role("heading", name="Accès famille")).to_be_visible()
    assert_accessible(page)


def test_a_parent_replaces_the_letter_password_then_reaches_home(page: Page, parent):
    parent.set_temporary_password(TEMPORARY_PASSWORD)
    parent.save()

    log_in(page, "claire", TEMPORARY_PASSWORD)

    expect(page).to_have_url(re.compile(r"/compte/mot-de-passe/"))
    expect(page.get_by_role("heading", name="Choisissez votre mot de passe")).to_be_visible()
    assert_accessible(page)

    old = page.get_by_label("Mot de passe reçu par courrier")
    new1 = page.get_by_label(re.compile(r"^\s*Nouveau mot de passe"))
    new2 = page.get_by_label("Confirmation du nouveau mot de passe")

    old.fill(TEMPORARY_PASSWORD)
    new1.fill("abcdefgh")
    new2.fill("abcdefgh")
    page.get_by_role("button", name="Enregistrer").click()

    for missing in ("une lettre majuscule", "un chiffre"):
        message = f"Le mot de passe doit contenir au moins {missing}."
        expect(page.get_by_text(message)).to_be_visible()
        # A screen reader announces the message with the field it is about.
        expect(new2).to_have_accessible_description(re.compile(re.escape(message)))
    assert_accessible(page)

    old.fill(TEMPORARY_PASSWORD)
    new1.fill(NEW_PASSWORD)
    new2.fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer").click()

    expect(page).to_have_url(HOME)
    expect(page.get_by_text("Informations compte")).to_be_visible()
    expect(page.get_by_text("0,00 €")).to_be_visible()
    assert_accessible(page)
    parent.refresh_from_db()
    assert not parent.must_change_password
    assert parent.check_password(NEW_PASSWORD)


def test_the_tabs_lead_everywhere_and_logout_ends_the_session(page: Page, parent, viewport):
    log_in(page, "claire", PASSWORD)
    expect(page.get_by_text("Informations compte")).to_be_visible()

    nav = page.get_by_role("navigation", name="Navigation principale")
    toggler = nav.get_by_role("button", name="Ouvrir le menu")
    tabs = [nav.get_by_role("link", name=tab, exact=True) for tab in TABS]
    logout = nav.get_by_role("button", name="Déconnexion")
    if viewport == "phone":
        # On a phone the tabs fold behind the navbar toggler.
        expect(tabs[0]).to_be_hidden()
        toggler.click()
        expect(toggler).to_have_attribute("aria-expanded", "true")
    else:
        expect(toggler).to_be_hidden()
    for tab in [*tabs, logout]:
        expect(tab).to_be_visible()
    assert_accessible(page)

    logout.click()

    expect(page).to_have_url(re.compile(r"/connexion/$"))
    expect(page.get_by_text("Vous êtes déconnecté")).to_be_visible()
    expect(nav.get_by_role("button", name="Déconnexion")).to_have_count(0)
    assert_accessible(page)
