"""A cheque comes back unpaid, or the desk recorded a payment on the wrong family: staff
cancel it with a reason. The payment stays where it was (receipt, statement, journal), its
cancellation is a debit of its own, the invoices it settled are to pay again, and the
family is told why."""

import io
from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import User
from billing.journal import payments_journal
from billing.models import Method
from billing.payments import PaymentError, cancel_payment, record_payment
from billing.queries import with_amounts
from billing.receipts import receipt_pdf
from billing.statements import account_summary, statement
from billing.treasury_export import journal_csv
from messaging.models import Message
from reservations.models import SchoolYear
from tests.billing.ledger import invoice
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


def paris(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(paris(2026, 12, 10, 12), tick=False)


@pytest.fixture
def year(db):
    return SchoolYear.objects.create(
        name="2026-2027", start=date(2026, 9, 1), end=date(2027, 8, 31)
    )


@pytest.fixture
def october(family, regie_enfance):
    return invoice(family, regie_enfance, period=date(2026, 10, 1), total="30.00")


@pytest.fixture
def cheque(family, regie_enfance, october):
    return record_payment(
        regie=regie_enfance,
        family=family,
        method=Method.CHEQUE,
        amount=D("30.00"),
        received_at=paris(2026, 11, 12, 10),
        reference="1234567",
        bank="Crédit Agricole",
    )


def remaining(made) -> D:
    return with_amounts(type(made).objects.filter(pk=made.pk)).get().remaining


def test_a_bounced_cheque_reopens_the_invoice_and_shows_on_the_statement(
    family, agent, october, cheque, year, django_capture_on_commit_callbacks
):
    assert remaining(october) == D("0.00")
    with django_capture_on_commit_callbacks(execute=True):
        cancel_payment(payment_pk=cheque.pk, reason="Chèque impayé (retour de la banque)", by=agent)
    assert remaining(october) == D("30.00")
    assert account_summary(family=family, today=date(2026, 12, 10)).balance == D("30.00")

    lines = statement(family=family, school_year=year).operations
    assert [(op.description.split(" —")[0], op.debit, op.credit) for op in lines] == [
        ("Facture Octobre 2026", D("30.00"), None),
        ("Règlement", None, D("30.00")),
        (f"Annulation du règlement {cheque.receipt_number}", D("30.00"), None),
    ]
    assert "Chèque impayé (retour de la banque)" in lines[-1].description

    told = Message.objects.filter(recipient=family).latest("pk")
    assert "Paiement annulé" in told.subject
    assert "Chèque impayé (retour de la banque)" in told.body
    assert october.number in told.body

    text = "".join(page.extract_text() for page in PdfReader(_pdf(cheque)).pages)
    assert "Paiement annulé le" in text and "Chèque impayé" in text


def _pdf(payment):
    payment.refresh_from_db()
    return io.BytesIO(receipt_pdf(payment))


def test_the_familys_other_credit_settles_the_reopened_invoice(
    family, agent, regie_enfance, october, cheque
):
    credit = record_payment(
        regie=regie_enfance,
        family=family,
        method=Method.CASH,
        amount=D("20.00"),
        received_at=paris(2026, 11, 20, 9),
    )
    assert credit.allocations.count() == 0  # nothing was left to pay: a credit
    cancel_payment(payment_pk=cheque.pk, reason="Chèque impayé", by=agent)
    assert remaining(october) == D("10.00")
    assert credit.allocations.get().amount == D("20.00")


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_cancellation_needs_its_reason(agent, cheque, october, reason):
    with pytest.raises(PaymentError, match="motif"):
        cancel_payment(payment_pk=cheque.pk, reason=reason, by=agent)
    cheque.refresh_from_db()
    assert not cheque.is_cancelled and remaining(october) == D("0.00")


def test_a_payment_is_cancelled_once(agent, cheque):
    cancel_payment(payment_pk=cheque.pk, reason="Erreur de saisie", by=agent)
    with pytest.raises(PaymentError, match="déjà annulé"):
        cancel_payment(payment_pk=cheque.pk, reason="Encore", by=agent)


def test_an_online_payment_is_refunded_by_the_treasury_not_cancelled_here(
    family, agent, regie_enfance, october
):
    online = record_payment(
        regie=regie_enfance,
        family=family,
        method=Method.ONLINE,
        amount=D("30.00"),
        transaction_id="idop-1",
        received_at=paris(2026, 11, 12, 10),
    )
    with pytest.raises(PaymentError, match="trésorerie"):
        cancel_payment(payment_pk=online.pk, reason="Erreur", by=agent)


def test_the_journal_of_the_month_lists_the_cancellation_and_the_net(
    family, agent, regie_enfance, october, cheque
):
    cancel_payment(payment_pk=cheque.pk, reason="Chèque impayé", by=agent)
    november = payments_journal(regie=regie_enfance, month=date(2026, 11, 1))
    assert (november.total, november.cancellations) == (D("30.00"), [])
    december = payments_journal(regie=regie_enfance, month=date(2026, 12, 1))
    assert december.count == 0
    assert [p.receipt_number for p in december.cancellations] == [cheque.receipt_number]
    assert december.net == D("-30.00")
    csv = journal_csv(december).decode("utf-8-sig")
    assert "Annulation Chèque" in csv and "-30,00" in csv and "Net du mois" in csv


def test_staff_cancel_from_the_payment_page(agent_client, family, october, cheque):
    page = reverse("admin:billing_payment_change", args=[cheque.pk])
    cancel = reverse("admin:billing_payment_cancel", args=[cheque.pk])
    assert cancel in page_text(agent_client.get(page))

    refused = agent_client.post(cancel, {"reason": ""})
    assert refused.status_code == 400
    assert "Indiquez le motif" in page_text(refused)

    done = agent_client.post(cancel, {"reason": "Chèque impayé"}, follow=True)
    assert "annulé : la famille est prévenue" in page_text(done)
    assert "Annulé" in page_text(done)
    assert remaining(october) == D("30.00")
    listed = agent_client.get(reverse("admin:billing_payment_changelist") + "?etat=annule")
    assert cheque.receipt_number in page_text(listed)


def test_cancelling_needs_the_change_permission(client, cheque, family):
    reader = User.objects.create_user("lecteur", password="x", is_staff=True)
    client.force_login(reader)
    cancel = reverse("admin:billing_payment_cancel", args=[cheque.pk])
    assert client.post(cancel, {"reason": "Erreur"}).status_code == 403
    cheque.refresh_from_db()
    assert not cheque.is_cancelled


def test_the_parent_sees_the_invoice_to_pay_again(parent_client, agent, october, cheque, year):
    cancel_payment(payment_pk=cheque.pk, reason="Chèque impayé", by=agent)
    detail = parent_client.get(reverse("billing:invoice", args=[october.pk]))
    assert detail.context["invoice"].remaining == D("30.00")
    assert list(detail.context["allocations"]) == []
    text = page_text(parent_client.get(reverse("billing:statement")))
    assert f"Annulation du règlement {cheque.receipt_number}" in text
