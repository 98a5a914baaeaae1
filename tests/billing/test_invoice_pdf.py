"""The invoice PDF, read back as text: what the family reads on paper."""

import io
import os
from decimal import Decimal as D

import pytest
import time_machine
from pypdf import PdfReader

from billing.credit_notes import credit_note
from billing.invoicing import issue_invoices
from billing.models import Allocation, Invoice, Method, Payment
from billing.pdf import invoice_html, render_invoice_pdf, render_pending
from reservations.models import Status
from tests.billing.invoicing import NOVEMBER, RUN_AT, book, give_pai, make_family, nov, with_qf

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def pdf_text(content: bytes) -> str:
    """The text of every page, with its spaces made plain (no-break ones included)."""
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(text.replace(NBSP, " ").split())


@pytest.fixture
def invoice(family, other_family, regie, meal, alsh_day, meal_tariff, alsh_tariff, settings):
    settings.COMMUNE_NAME = "Mairie de Valmont-sur-Loire"
    settings.COMMUNE_ADDRESS = "1 place de la Mairie, 45000 Valmont-sur-Loire"
    settings.COMMUNE_PHONE = "02 38 00 00 00"
    regie.address = "Mairie, guichet Enfance"
    regie.save()
    lea, hugo = family.children.order_by("birth_date")
    with_qf(family, "612")
    give_pai(lea)
    book(lea, meal, [nov(2), nov(3), nov(5)])
    book(hugo, meal, [nov(2), nov(3), nov(5), nov(6)])
    book(hugo, meal, [nov(9)], status=Status.EXCUSED)
    book(hugo, alsh_day, [nov(4)])
    with time_machine.travel(RUN_AT, tick=False):
        issue_invoices(month=NOVEMBER)
    return Invoice.objects.get(family=family)


def test_the_pdf_shows_number_family_period_lines_total_and_how_to_pay(invoice):
    text = pdf_text(render_invoice_pdf(invoice))

    assert "Mairie de Valmont-sur-Loire" in text
    assert "1 place de la Mairie, 45000 Valmont-sur-Loire" in text
    assert "Facture n° F2026000001" in text
    assert "Période : Novembre 2026" in text
    assert "Émise le 1er décembre 2026" in text
    assert "À payer avant le 31 décembre 2026" in text
    assert "Famille MARTIN" in text
    assert "12 rue des Tilleuls 45000 Valmont" in text
    # Léa: PAI, 3 × 1,50; Hugo: QF 612 → 2,35 × 4, an excused day, the ALSH 612 × 0,02.
    assert "Léa MARTIN" in text
    assert "Repas (panier-repas PAI) 2, 3, 5 3 1,50 € 4,50 €" in text
    assert "Hugo MARTIN" in text
    assert "Repas (QF ≤ 700) 2, 3, 5, 6 4 2,35 € 9,40 €" in text
    assert "Repas — absence justifiée, non facturé 9 1 0,00 € 0,00 €" in text
    assert "Journée avec repas (QF 612 × taux d'effort) 4 1 12,24 € 12,24 €" in text
    assert "Total de la facture 26,14 €" in text  # 4,50 + 9,40 + 12,24
    assert "Déjà réglé 0,00 €" in text
    assert "Reste à payer 26,14 €" in text
    assert "Référence de paiement : F2026000001" in text
    assert "à l'ordre de « Régie de Valmont »" in text
    assert "en espèces, à la régie (Mairie, guichet Enfance)" in text
    assert "PayFiP" in text


def test_the_pdf_counts_what_was_already_paid(invoice, agent):
    payment = Payment.objects.create(
        regie=invoice.regie,
        family=invoice.family,
        method=Method.CHEQUE,
        amount=D("10.00"),
        receipt_number="R1",
    )
    Allocation.objects.create(payment=payment, invoice=invoice, amount=D("10.00"))

    text = pdf_text(render_invoice_pdf(invoice))

    assert "Déjà réglé 10,00 €" in text
    assert "Reste à payer 16,14 €" in text


def test_the_pdf_is_made_once_and_kept_in_the_private_storage(invoice):
    assert render_pending(workers=1) == 1
    invoice.refresh_from_db()
    name = invoice.pdf.name
    assert name == "factures/2026/F/F2026000001.pdf"
    with invoice.pdf.open("rb") as stored:
        assert "Facture n° F2026000001" in pdf_text(stored.read())

    assert render_pending(workers=1) == 0  # kept: never made again
    invoice.refresh_from_db()
    assert invoice.pdf.name == name


def test_many_pdfs_are_made_by_two_worker_processes(regie, meal, meal_tariff, monkeypatch):
    import billing.pdf

    monkeypatch.setattr(billing.pdf, "POOL_FROM", 3)
    for i in range(4):
        family = make_family(f"POOL{i}", "Enfant", qf="300")
        book(family.children.get(), meal, [nov(2 + i)])
    with time_machine.travel(RUN_AT, tick=False):
        issue_invoices(month=NOVEMBER)
    parent = os.getpid()
    seen = []
    real = billing.pdf.store_pdf

    def store(invoice, content):
        seen.append(content[:5])
        return real(invoice, content)

    monkeypatch.setattr(billing.pdf, "store_pdf", store)

    assert render_pending(workers=2) == 4

    assert seen == [b"%PDF-"] * 4
    assert os.getpid() == parent
    for invoice in Invoice.objects.order_by("number"):
        with invoice.pdf.open("rb") as stored:
            text = pdf_text(stored.read())
        assert f"Facture n° {invoice.number}" in text
        assert f"Famille {invoice.family.name}" in text
        assert "Total de la facture 1,00 €" in text


def test_a_credit_note_pdf_names_the_invoice_and_the_reason(invoice, agent):
    line = invoice.lines.get(description="Repas (QF ≤ 700)")
    with time_machine.travel(RUN_AT, tick=False):
        note = credit_note(
            invoice=invoice, lines=[(line, 2)], reason="Sortie scolaire du 5 et 6", by=agent
        )

    with note.pdf.open("rb") as stored:
        text = pdf_text(stored.read())

    assert "Avoir n° F2026000002" in text
    assert "Sur la facture n° F2026000001" in text
    assert "Motif de l'avoir Sortie scolaire du 5 et 6" in text
    assert "Avoir : Repas (QF ≤ 700) 2 2,35 € 4,70 €" in text
    assert "Montant de l'avoir 4,70 €" in text
    assert "Référence de paiement" not in text


def test_the_html_is_there_for_debugging(invoice):
    html = invoice_html(invoice)
    assert "<h1>Facture n° F2026000001</h1>" in html
    assert "26,14\u00a0€" in html
