"""The « Relevé des opérations » of a school year, worked out by hand.

Year 2025-2026: May 48,30 + June 36,80 − cheque 40,00 − credit note 5,00 = 40,10,
the « Ancien Solde » of 2026-2027. In 2026-2027: cash 40,10, September 52,00, October
61,20, online 52,00, credit note 4,60: Débit 113,20, Crédit 96,70, balance
40,10 + 113,20 − 96,70 = 56,60.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import Method
from billing.statements import statement
from tests.billing.ledger import credit_note, invoice, payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(family, other_family, regie_enfance, previous_year, school_year):
    regie = regie_enfance
    may = invoice(family, regie, period=date(2026, 5, 1), total="48.30")
    june = invoice(family, regie, period=date(2026, 6, 1), total="36.80")
    payment(family, regie, amount="40.00", received=date(2026, 6, 15), settles=may)
    credit_note(june, total="5.00", issued=date(2026, 7, 10), reason="Sortie annulée")

    september = invoice(family, regie, period=date(2026, 9, 1), total="52.00")
    october = invoice(
        family, regie, period=date(2026, 10, 1), total="61.20", issued=date(2026, 11, 2)
    )
    payment(family, regie, amount="40.10", received=date(2026, 9, 20), method=Method.CASH)
    payment(
        family,
        regie,
        amount="52.00",
        received=date(2026, 11, 5),
        method=Method.ONLINE,
        settles=september,
    )
    credit_note(october, total="4.60", issued=date(2026, 11, 10), reason="Grève du 5 novembre")

    # Another family's account is not this one's.
    invoice(other_family, regie, period=date(2026, 9, 1), total="99.00")
    payment(other_family, regie, amount="12.00", received=date(2026, 9, 3))
    return {"september": september, "october": october}


def test_the_opening_balance_is_carried_from_the_previous_year(family, ledger, school_year):
    assert statement(family=family, school_year=school_year).opening == Decimal("40.10")


def test_the_previous_year_opens_on_what_came_before_it(family, ledger, previous_year):
    last_year = statement(family=family, school_year=previous_year)
    assert last_year.opening == Decimal("0.00")
    assert last_year.closing == Decimal("40.10")


def test_operations_come_in_date_order_with_the_seed_columns(family, ledger, school_year):
    operations = statement(family=family, school_year=school_year).operations
    rows = [(op.day, op.description, op.rule, op.debit, op.credit) for op in operations]
    assert rows == [
        (date(2026, 9, 20), "Règlement — Régie enfance", "Espèces", None, Decimal("40.10")),
        (date(2026, 10, 1), "Facture Septembre 2026 — Régie enfance", "", Decimal("52.00"), None),
        (date(2026, 11, 2), "Facture Octobre 2026 — Régie enfance", "", Decimal("61.20"), None),
        (
            date(2026, 11, 5),
            "Règlement — Régie enfance",
            "Paiement en ligne (PayFiP)",
            None,
            Decimal("52.00"),
        ),
        (
            date(2026, 11, 10),
            f"Avoir sur la facture {ledger['october'].number} — Grève du 5 novembre",
            "",
            None,
            Decimal("4.60"),
        ),
    ]


def test_an_invoice_line_is_numbered_by_the_invoice_and_opens_it(family, ledger, school_year):
    operations = statement(family=family, school_year=school_year).operations
    september = ledger["september"]
    line = next(op for op in operations if op.debit == Decimal("52.00"))
    assert line.number == september.number
    assert line.invoice_id == september.pk
    assert not line.is_payment


def test_a_payment_is_numbered_by_its_receipt(family, ledger, school_year):
    operations = statement(family=family, school_year=school_year).operations
    cash = operations[0]
    assert cash.is_payment
    assert cash.number.startswith("R20260920")


def test_the_totals_and_the_balance_of_the_year(family, ledger, school_year):
    year = statement(family=family, school_year=school_year)
    assert year.total_debit == Decimal("113.20")
    assert year.total_credit == Decimal("96.70")
    assert year.closing == Decimal("56.60")


def test_the_year_starts_at_midnight_in_paris(family, regie_enfance, previous_year, school_year):
    late = invoice(family, regie_enfance, period=date(2026, 7, 1), total="10.00")
    late.issued_at = timezone.make_aware(datetime(2026, 8, 31, 23, 30))
    late.save()
    early = invoice(family, regie_enfance, period=date(2026, 8, 1), total="7.00")
    early.issued_at = timezone.make_aware(datetime(2026, 9, 1, 0, 30))
    early.save()

    year = statement(family=family, school_year=school_year)
    assert year.opening == Decimal("10.00")
    assert [op.number for op in year.operations] == [early.number]


def test_a_family_without_operations_has_a_zero_statement(family, school_year):
    year = statement(family=family, school_year=school_year)
    assert year.opening == year.closing == Decimal("0.00")
    assert year.operations == []
    assert year.total_debit == year.total_credit == Decimal("0.00")


def test_a_statement_takes_three_queries_however_long(
    family, ledger, regie_enfance, school_year, django_assert_num_queries
):
    for month in (12, 1, 2, 3):
        year = 2026 if month == 12 else 2027
        made = invoice(family, regie_enfance, period=date(year, month, 1), total="20.00")
        payment(family, regie_enfance, amount="20.00", received=made.due_date, settles=made)
    with django_assert_num_queries(3):
        year = statement(family=family, school_year=school_year)
        assert len(year.operations) == 13
