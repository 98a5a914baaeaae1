"""« Nous contacter » in the browser: a parent writes to Enfance Jeunesse, an agent answers
from the admin in a second browser, the parent reads the answer in the inbox and the thread."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from messaging.models import Service, Thread
from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORTS
from tests.messaging.files import pdf_bytes

SUBJECT = "Sortie de mercredi"
QUESTION = "Faut-il prévoir un pique-nique pour Léa ?"
ANSWER = "Oui, un pique-nique et une gourde, merci."


@pytest.fixture
def enfance(reference_data) -> Service:
    """The service the parent writes to (made by a data migration), with its address."""
    service = Service.objects.get(name="Enfance Jeunesse")
    service.email = "enfance@mairie.example.fr"
    service.save()
    return service


@pytest.fixture
def staff(agent):
    return agent  # the Enfance Jeunesse group answers families (data migration)


def log_in(page: Page, username: str) -> None:
    page.goto("/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()


def open_tab(page: Page, name: str, viewport: str) -> None:
    nav = page.get_by_role("navigation", name="Navigation principale")
    if viewport == "phone":
        nav.get_by_role("button", name="Ouvrir le menu").click()
    nav.get_by_role("link", name=re.compile(rf"^{re.escape(name)}")).click()


def answer_from_the_admin(browser: Browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, locale="fr-FR", **VIEWPORTS["desktop"])
    context.set_default_timeout(TIMEOUT_MS)
    staff = context.new_page()
    staff.goto("/admin/messaging/thread/")
    staff.get_by_label(re.compile(r"Nom d.utilisateur")).fill("agent")
    staff.get_by_label("Mot de passe").fill(PASSWORD)
    staff.get_by_role("button", name="Connexion").click()

    # The list says the thread is waiting; its page shows what the family wrote.
    staff.get_by_role("link", name="Non lus").click()
    staff.get_by_role("link", name=SUBJECT).click()
    expect(staff.get_by_text(QUESTION)).to_be_visible()
    expect(staff.get_by_role("link", name="programme.pdf")).to_be_visible()
    staff.get_by_role("textbox", name="Répondre").fill(ANSWER)
    staff.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(staff.get_by_text("Votre réponse a été envoyée à la famille MARTIN.")).to_be_visible()
    context.close()


def test_a_parent_writes_to_a_service_and_reads_its_answer(
    page: Page, browser: Browser, live_server, parent, staff, enfance, viewport
):
    log_in(page, "claire")
    open_tab(page, "Nous contacter", viewport)
    expect(page.get_by_role("heading", name="Nous contacter", level=1)).to_be_visible()
    expect(page.get_by_text("Vous n'avez encore écrit à aucun service.")).to_be_visible()
    assert_accessible(page)

    # A message without its subject is refused, and says so next to the field.
    page.get_by_label("Service").select_option(label="Enfance Jeunesse")
    page.get_by_role("textbox", name="Message").fill(QUESTION)
    page.get_by_role("button", name="Envoyer").click()
    subject = page.get_by_label("Objet")
    expect(subject).to_have_accessible_description(re.compile("Indiquez l'objet de votre message."))
    assert not Thread.objects.exists()
    assert_accessible(page)

    subject.fill(SUBJECT)
    page.get_by_role("textbox", name="Message").fill(QUESTION)
    page.get_by_label("Pièces jointes").set_input_files(
        {"name": "programme.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
    )
    page.get_by_role("button", name="Envoyer").click()

    expect(page).to_have_url(re.compile(r"/contact/\d+/$"))
    expect(
        page.get_by_text("Votre message a été envoyé au service Enfance Jeunesse.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name=SUBJECT, level=1)).to_be_visible()
    expect(page.get_by_text(QUESTION)).to_be_visible()
    expect(page.get_by_role("link", name="programme.pdf")).to_be_visible()
    assert_accessible(page)

    answer_from_the_admin(browser, live_server.url)

    page.goto("/")
    open_tab(page, "Boîte de réception", viewport)
    page.get_by_role("link", name=re.compile(f"Réponse : {SUBJECT}")).click()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    page.get_by_role("link", name="Voir l'échange").click()

    expect(page).to_have_url(re.compile(r"/contact/\d+/$"))
    staff_post = page.get_by_role("article").filter(has_text=ANSWER)
    expect(staff_post.get_by_text("Mairie", exact=True)).to_be_visible()
    expect(staff_post.get_by_text("Enfance Jeunesse")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="← Nous contacter").click()
    thread = page.get_by_role("listitem").filter(has_text=SUBJECT)
    expect(thread.get_by_text("Répondu")).to_be_visible()
    expect(thread.get_by_text("Nouvelle réponse")).to_have_count(0)
    assert_accessible(page)
