"""The home page's « Informations compte »: the real balance, and what is due by when."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from billing.statements import account_summary
from tests.billing.ledger import credit_note, invoice, payment
from tests.helpers import page_text

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


def text(response) -> str:
    """What a reader sees: the page's words without their tags."""
    return strip_tags(page_text(response))


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(timezone.make_aware(datetime(2026, 11, 20, 10, 0)), tick=False)


@pytest.fixture
def dues(family, other_family, regie_enfance):
    """September (due 31 October) 20,00 with 5,00 paid: 15,00 overdue. October (due
    1st December) 61,20 with a 4,60 credit note: 56,60 next. November's invoice is not
    issued yet; another family's debt is not this one's."""
    regie = regie_enfance
    september = invoice(family, regie, period=date(2026, 9, 1), total="20.00")
    payment(family, regie, amount="5.00", received=date(2026, 10, 10), settles=september)
    october = invoice(family, regie, period=date(2026, 10, 1), total="61.20")
    credit_note(october, total="4.60", issued=date(2026, 11, 10), reason="Grève")
    invoice(other_family, regie, period=date(2026, 10, 1), total="99.00")


def test_the_summary_worked_out(family, dues):
    summary = account_summary(family=family, today=TODAY)
    assert summary.balance == Decimal("71.60")  # 20,00 + 61,20 − 5,00 − 4,60
    assert summary.has_invoices
    assert summary.due == Decimal("71.60")
    assert summary.overdue == Decimal("15.00")
    assert summary.next_due_date == date(2026, 12, 1)
    assert summary.next_due_amount == Decimal("56.60")
    assert summary.later == Decimal("0.00")


def test_dues_after_the_next_due_date_are_counted_apart(family, dues, regie_enfance):
    invoice(family, regie_enfance, period=date(2026, 11, 1), total="33.00", issued=TODAY)
    summary = account_summary(family=family, today=TODAY)
    assert summary.next_due_date == date(2026, 12, 1)
    assert summary.next_due_amount == Decimal("56.60")
    assert summary.later == Decimal("33.00")  # due 20 December


def test_the_home_page_shows_the_balance_and_the_due_date(parent_client, dues):
    page = text(parent_client.get("/"))
    assert "Solde du compte\u00a0: 71,60\u00a0€" in page
    assert "À régler avant le 1er décembre 2026\u00a0: 56,60\u00a0€" in page
    assert "Échéance dépassée\u00a0: 15,00\u00a0€ à régler dès que possible." in page
    assert "Voir mes factures" in page
    assert '<a href="/factures/">Voir mes factures</a>' in parent_client.get("/").content.decode()
    assert "Aucune facture" not in page


def test_a_family_with_no_invoice_is_told_so_honestly(parent_client, other_family, regie_enfance):
    invoice(other_family, regie_enfance, period=date(2026, 10, 1), total="99.00")
    page = text(parent_client.get("/"))
    assert "Solde du compte\u00a0: 0,00\u00a0€" in page
    assert "Aucune facture n'a encore été émise pour votre famille." in page
    assert "À régler" not in page


def test_a_settled_account_says_so(parent_client, family, regie_enfance):
    made = invoice(family, regie_enfance, period=date(2026, 10, 1), total="12.00")
    payment(family, regie_enfance, amount="12.00", received=date(2026, 11, 3), settles=made)
    page = text(parent_client.get("/"))
    assert "Solde du compte\u00a0: 0,00\u00a0€" in page
    assert "Toutes vos factures sont réglées." in page
    assert "À régler" not in page


def test_a_credit_in_the_familys_favour_is_said(parent_client, family, regie_enfance):
    made = invoice(family, regie_enfance, period=date(2026, 10, 1), total="12.00")
    payment(family, regie_enfance, amount="12.00", received=date(2026, 11, 3), settles=made)
    credit_note(made, total="2.40", issued=date(2026, 11, 12), reason="Sortie annulée")
    page = text(parent_client.get("/"))
    assert "Solde du compte\u00a0: -2,40\u00a0€ (en votre faveur)" in page


def test_the_home_page_queries_do_not_grow_with_the_account(
    parent_client, family, regie_enfance, dues, django_assert_max_num_queries
):
    parent_client.get("/")
    with django_assert_max_num_queries(6) as few:
        parent_client.get("/")
    for month in (1, 2, 3, 4, 5, 6):
        made = invoice(family, regie_enfance, period=date(2026, month, 1), total="10.00")
        payment(family, regie_enfance, amount="4.00", received=made.due_date, settles=made)
    with django_assert_max_num_queries(len(few)):
        page = text(parent_client.get("/"))
    assert "Échéance dépassée\u00a0: 51,00\u00a0€" in page  # 15,00 + 6 × 6,00
