"""A parent reads the town hall's news and downloads a form, on a phone and on a desktop."""

import re

from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_journey_foundation import log_in
from tests.messaging.files import pdf_bytes
from tests.messaging.publications import form, news


def test_a_parent_reads_the_news_and_downloads_a_form(page: Page, parent, school):
    news(
        "Inscriptions ALSH vacances d'hiver",
        body="Les inscriptions sont ouvertes jusqu'au 6 février.",
        link_url="https://www.example.org/alsh",
        link_label="Programme des vacances",
    )
    form("Demande de PAI", kind="school", value=str(school.pk), content=pdf_bytes())

    log_in(page, "claire", PASSWORD)
    page.get_by_role("complementary").get_by_role("link", name="Infos./Documents").click()

    expect(page).to_have_url(re.compile(r"/infos/$"))
    expect(page.get_by_role("heading", name="Inscriptions ALSH vacances d'hiver")).to_be_visible()
    expect(page.get_by_text("Les inscriptions sont ouvertes jusqu'au 6 février.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile("^Formulaires")).click()

    expect(page.get_by_role("heading", name="Formulaires", exact=True)).to_be_visible()
    expect(page.get_by_text("Description de « Demande de PAI ».")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger Demande de PAI (PDF)").click()
    assert download.value.suggested_filename == "formulaire.pdf"
