"""« Factures »: the statement of a school year as in the seed, and each invoice's page and
PDF, for the family's own invoices only."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from billing.models import Method
from tests.billing.ledger import credit_note, invoice, payment
from tests.helpers import page_text
from tests.messaging.files import pdf_bytes

pytestmark = pytest.mark.django_db
URL = "/factures/"
TODAY = datetime(2026, 11, 20, 10, 0)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(TODAY), tick=False)


@pytest.fixture
def october(family, regie_enfance, school_year):
    return invoice(
        family,
        regie_enfance,
        period=date(2026, 10, 1),
        total="61.20",
        issued=date(2026, 11, 2),
        lines=[
            ("Léa MARTIN", "Restauration scolaire — repas (QF ≤ 700)", 12, "2.35"),
            ("Léa MARTIN", "Garderie du soir", 6, "1.50"),
            ("Hugo MARTIN", "Restauration scolaire — repas (QF ≤ 700)", 12, "2.35"),
            ("Hugo MARTIN", "Majoration réservation hors délai", 1, "1.00"),
        ],
        pdf=pdf_bytes(),
    )


@pytest.fixture
def accounts(family, other_family, regie_enfance, previous_year, school_year, october):
    may = invoice(family, regie_enfance, period=date(2026, 5, 1), total="48.30")
    payment(family, regie_enfance, amount="40.00", received=date(2026, 6, 15), settles=may)
    payment(
        family,
        regie_enfance,
        amount="20.00",
        received=date(2026, 11, 5),
        method=Method.CHEQUE,
        settles=october,
    )
    credit_note(october, total="4.60", issued=date(2026, 11, 10), reason="Grève du 5 novembre")
    return invoice(other_family, regie_enfance, period=date(2026, 10, 1), total="33.00", pdf=b"")


def test_the_statement_speaks_the_seed(parent_client, accounts, october):
    page = page_text(parent_client.get(URL))
    for words in (
        "Informations compte",
        "Année scolaire",
        "Relevé des opérations",
        "N° Opération",
        "Date",
        "Description",
        "Règle",
        "Débit",
        "Crédit",
        "Ancien Solde\u00a0: 8,30\u00a0€",
        # 8,30 + 61,20 − 20,00 − 4,60
        "Solde du Compte pour l'année scolaire\u00a0: 44,90\u00a0€",
    ):
        assert words in page, words
    assert "Facture Octobre 2026 — Régie enfance" in page
    assert "2 novembre 2026" in page
    assert "Chèque" in page
    assert "61,20\u00a0€" in page
    assert "24,60\u00a0€" in page  # the year's Crédit column


def test_each_invoice_line_opens_the_invoice(parent_client, accounts, october):
    page = parent_client.get(URL).content.decode()
    assert f'<a href="/factures/{october.pk}/">{october.number}</a>' in page


def test_the_table_is_accessible(parent_client, accounts):
    page = parent_client.get(URL).content.decode()
    assert "<caption" in page
    assert page.count('<th scope="col"') >= 6
    assert '<th scope="row" colspan="2">Ancien Solde' in page


def test_the_current_school_year_is_shown_by_default(parent_client, accounts):
    page = page_text(parent_client.get(URL))
    assert '<option value="2026-2027" selected>' in page
    assert '<option value="2025-2026">' in page  # a year with operations


def test_the_parent_chooses_another_year(parent_client, accounts):
    page = page_text(parent_client.get(URL, {"annee": "2025-2026"}))
    assert '<option value="2025-2026" selected>' in page
    assert "Ancien Solde\u00a0: 0,00\u00a0€" in page
    assert "Facture Mai 2026 — Régie enfance" in page
    assert "Facture Octobre 2026" not in page
    assert "Solde du Compte pour l'année scolaire\u00a0: 8,30\u00a0€" in page


def test_an_unknown_year_falls_back_to_the_current_one_and_says_so(parent_client, accounts):
    page = page_text(parent_client.get(URL, {"annee": "1999-2000"}))
    assert "L'année scolaire « 1999-2000 » n'existe pas." in page
    assert '<option value="2026-2027" selected>' in page


def test_years_without_operations_are_not_offered(parent_client, school_year):
    page = page_text(parent_client.get(URL))
    assert '<option value="2026-2027" selected>' in page
    assert "2025-2026" not in page
    assert "Aucune opération sur cette année scolaire." in page
    assert "Rien n'est à régler pour le moment." in page


def test_the_tab_is_lit(parent_client, accounts):
    page = parent_client.get(URL).content.decode()
    assert 'href="/factures/" aria-current="page">Factures' in page


def test_the_invoice_page_shows_lines_per_child_and_what_is_left(parent_client, accounts, october):
    page = page_text(parent_client.get(f"/factures/{october.pk}/"))
    assert f"Facture n°\u00a0{october.number}" in page
    assert page.index("Hugo MARTIN") < page.index("Léa MARTIN")
    assert "Garderie du soir" in page
    assert "28,20\u00a0€" in page  # 12 × 2,35
    assert "Total" in page and "61,20\u00a0€" in page
    assert "Déjà payé" in page and "20,00\u00a0€" in page
    assert "Avoirs" in page and "4,60\u00a0€" in page
    assert "Reste à payer" in page and "36,60\u00a0€" in page
    assert "2 décembre 2026" in page  # due date
    assert "«\u00a0Régie enfance de Valmont\u00a0»" in page
    assert "Télécharger la facture (PDF)" in page


def test_a_paid_invoice_says_so(parent_client, family, regie_enfance, school_year):
    made = invoice(family, regie_enfance, period=date(2026, 9, 1), total="10.00")
    payment(family, regie_enfance, amount="10.00", received=date(2026, 10, 3), settles=made)
    page = page_text(parent_client.get(f"/factures/{made.pk}/"))
    assert "Cette facture est réglée." in page
    assert "Par chèque" not in page


def test_the_pdf_is_the_one_stored_at_issue(parent_client, october):
    response = parent_client.get(f"/factures/{october.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="facture-{october.number}.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_a_missing_pdf_is_a_404_that_says_so_and_is_logged(
    parent_client, family, regie_enfance, school_year, caplog
):
    made = invoice(family, regie_enfance, period=date(2026, 9, 1), total="10.00")
    response = parent_client.get(f"/factures/{made.pk}/pdf/")
    assert response.status_code == 404
    assert "n'est pas disponible" in page_text(response)
    assert f"Le PDF de la facture {made.number} manque" in caplog.text
    made.refresh_from_db()
    assert not made.pdf  # never made again after issue


def test_a_pdf_lost_from_the_storage_is_a_404_too(parent_client, october):
    october.pdf.storage.delete(october.pdf.name)
    assert parent_client.get(f"/factures/{october.pk}/pdf/").status_code == 404


@pytest.mark.parametrize("suffix", ["", "pdf/"])
def test_another_familys_invoice_is_a_404(parent_client, accounts, suffix):
    assert parent_client.get(f"/factures/{accounts.pk}/{suffix}").status_code == 404


def test_another_familys_operations_are_not_shown(parent_client, accounts):
    page = page_text(parent_client.get(URL))
    assert accounts.number not in page
    assert "33,00" not in page


@pytest.mark.parametrize("path", [URL, "/factures/1/", "/factures/1/pdf/"])
def test_anonymous_visitors_are_sent_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def test_the_pages_only_answer_get(parent_client, october):
    assert parent_client.post(URL).status_code == 405
    assert parent_client.post(f"/factures/{october.pk}/").status_code == 405


def test_staff_without_a_family_get_the_no_family_page(agent_client, school_year):
    assert agent_client.get(URL).status_code == 403


def test_the_statement_runs_the_same_queries_however_long_the_account(
    parent_client, family, regie_enfance, previous_year, school_year, django_assert_max_num_queries
):
    def a_year_of(year: int, months: list[int]) -> None:
        for month in months:
            made = invoice(family, regie_enfance, period=date(year, month, 1), total="30.00")
            payment(family, regie_enfance, amount="30.00", received=made.due_date, settles=made)
            credit_note(made, total="1.00", issued=made.due_date)

    a_year_of(2026, [1, 2])
    parent_client.get(URL)
    with django_assert_max_num_queries(9) as few:
        parent_client.get(URL)
    a_year_of(2026, [3, 4, 5, 6, 9, 10])
    with django_assert_max_num_queries(len(few)):
        page = page_text(parent_client.get(URL))
    # Each invoice is paid in full, then 1,00 is credited: the family ends in credit.
    assert "Ancien Solde\u00a0: -6,00\u00a0€" in page
    assert page.count("Facture Septembre 2026") == page.count("Facture Octobre 2026") == 1
    assert "Solde du Compte pour l'année scolaire\u00a0: -8,00\u00a0€ (en votre faveur)" in page


def test_the_invoice_page_runs_few_queries(
    parent_client, accounts, october, django_assert_max_num_queries
):
    parent_client.get(f"/factures/{october.pk}/")
    with django_assert_max_num_queries(8):
        assert parent_client.get(f"/factures/{october.pk}/").status_code == 200
