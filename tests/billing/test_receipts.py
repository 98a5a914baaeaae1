"""The receipt of every payment: its PDF read back, the inbox message with the PDF, the
parent's route (their family's payments only) and the links to it."""

import io
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader

from billing.models import Method
from billing.payments import record_payment
from billing.receipts import receipt_context, receipt_pdf, send_receipt
from messaging.models import Kind, Message, OutgoingEmail
from tests.billing.ledger import invoice
from tests.helpers import page_text

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 10, 14, 30)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(timezone.make_aware(NOW), tick=False)


@pytest.fixture
def october(family, regie_enfance, school_year):
    return invoice(family, regie_enfance, period=date(2026, 10, 1), total="30.00")


@pytest.fixture
def cheque(family, regie_enfance, october, agent):
    return record_payment(
        regie=regie_enfance,
        family=family,
        method=Method.CHEQUE,
        amount=D("45.50"),
        reference="0012345",
        bank="Banque Postale",
        received_at=timezone.make_aware(datetime(2026, 12, 9, 16, 5)),
        recorded_by=agent,
    )


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_says_what_was_paid_when_how_and_for_what(cheque, october):
    text = pdf_text(receipt_pdf(cheque))

    for words in (
        "Reçu de paiement n° ER2026000001",
        "Ticket de paiement récapitulatif",
        "Régie enfance — Régie enfance de Valmont",
        "9 décembre 2026 à 16:05",  # Paris time
        "Famille MARTIN",
        "Chèque",
        "0012345",
        "Banque Postale",
        "45,50",
        october.number,
        "Octobre 2026",
        "30,00",
        "Reste au crédit du compte : 15,50",
    ):
        assert words in text, words


def test_an_online_receipt_shows_the_payfip_references(family, regie_enfance, october):
    online = record_payment(
        regie=regie_enfance,
        family=family,
        method=Method.ONLINE,
        amount=D("30.00"),
        transaction_id="idop-0123456789",
        authorisation_number="AUTO42",
    )

    context = receipt_context(online)
    assert context["details"] == [
        ("N° d'autorisation", "AUTO42"),
        ("Référence de la transaction", "idop-0123456789"),
    ]
    assert context["credit"] == ""
    text = pdf_text(receipt_pdf(online))
    assert "AUTO42" in text
    assert "idop-0123456789" in text
    assert "Paiement en ligne (PayFiP)" in text


def test_send_receipt_puts_it_in_the_inbox_with_the_pdf_and_queues_the_email(cheque, parent):
    send_receipt(cheque)

    message = Message.objects.get(recipient=cheque.family, kind=Kind.PAYMENT)
    assert message.subject == "Reçu de paiement ER2026000001 : 45,50\u00a0€"
    assert "9 décembre 2026 à 16:05" in message.body
    assert "15,50\u00a0€ restent au crédit de votre compte" in message.body
    assert message.link_url == f"/factures/recus/{cheque.pk}/"
    attachment = message.attachments.get()
    assert attachment.name == "recu-ER2026000001.pdf"
    assert "ER2026000001" in pdf_text(attachment.file.read())
    assert OutgoingEmail.objects.filter(message=message, to=parent.email).exists()


def test_the_parent_downloads_their_receipt(parent_client, cheque):
    response = parent_client.get(f"/factures/recus/{cheque.pk}/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="recu-ER2026000001.pdf"' in response["Content-Disposition"]
    assert "Reçu de paiement n° ER2026000001" in pdf_text(response.content)


def test_a_receipt_like_an_invoice_is_kept_by_no_cache(parent_client, cheque):
    # A family's payment, on a shared computer or behind a proxy: no copy kept anywhere.
    response = parent_client.get(f"/factures/recus/{cheque.pk}/")
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_another_familys_receipt_is_a_404(other_parent, cheque, client):
    client.force_login(other_parent)
    assert client.get(f"/factures/recus/{cheque.pk}/").status_code == 404
    assert client.get("/factures/recus/999999/").status_code == 404


def test_the_receipt_needs_a_login_and_a_get(client, parent_client, cheque):
    response = client.get(f"/factures/recus/{cheque.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/connexion/")
    assert parent_client.post(f"/factures/recus/{cheque.pk}/").status_code == 405


def test_the_statement_and_the_invoice_link_to_the_receipt(parent_client, cheque, october):
    link = f'href="/factures/recus/{cheque.pk}/"'
    statement = parent_client.get("/factures/").content.decode()
    assert link in statement
    assert "Chèque" in page_text(parent_client.get("/factures/"))
    assert link in parent_client.get(f"/factures/{october.pk}/").content.decode()


def test_the_screen_partial_shows_the_same_ticket(cheque):
    html = render_to_string("billing/_receipt.html", {"receipt": receipt_context(cheque)})

    assert "Reçu de paiement n°&nbsp;ER2026000001" in html
    assert "9 décembre 2026 à 16:05" in html
    assert "Banque Postale" in html
    assert "15,50\u00a0€" in html
