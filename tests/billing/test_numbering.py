"""The numbering of every numbered document: one gap-free series per régie and year —
invoices and credit notes share one, receipts have their own — proven on PostgreSQL with
real threads."""

import time
from decimal import Decimal as D

import pytest
import time_machine
from django.db import IntegrityError, transaction

from billing.credit_notes import credit_note
from billing.invoicing import issue_invoices
from billing.models import Invoice, InvoiceCounter, InvoiceKind, Method, Payment, Regie
from billing.numbering import Document, format_number, next_number
from billing.payments import record_payment
from tests.billing.invoicing import NOVEMBER, RUN_AT, book, make_family, nov
from tests.reservations.test_booking_concurrency import run_together


def take(regie: Regie, document: Document, year: int = 2026) -> str:
    with transaction.atomic():
        return next_number(regie=regie, year=year, document=document).text


def counters() -> dict[tuple[str, str, int], int]:
    return {
        (c.regie.code, c.series, c.year): c.last
        for c in InvoiceCounter.objects.select_related("regie")
    }


@pytest.mark.django_db
def test_each_document_has_its_format_letters_and_digits_only(regie):
    numbers = [
        format_number(regie=regie, year=2026, sequence=123, document=document)
        for document in Document
    ]

    assert numbers == ["F2026000123", "F2026000123", "FR2026000123"]
    assert all(number.isalnum() and number.isascii() for number in numbers)


@pytest.mark.django_db
def test_credit_notes_continue_the_invoices_series_and_receipts_have_their_own(regie):
    other = Regie.objects.create(name="Régie des sports", code="GS", payee="Régie des sports")

    taken = [
        take(regie, Document.INVOICE),
        take(regie, Document.CREDIT_NOTE),
        take(regie, Document.RECEIPT),
        take(regie, Document.INVOICE),
        take(regie, Document.RECEIPT),
        take(other, Document.RECEIPT),
        take(regie, Document.INVOICE, year=2027),
    ]

    assert taken == [
        "F2026000001",
        "F2026000002",
        "FR2026000001",
        "F2026000003",
        "FR2026000002",
        "GSR2026000001",
        "F2027000001",
    ]
    assert counters() == {
        ("F", "invoice", 2026): 3,
        ("F", "receipt", 2026): 2,
        ("GS", "receipt", 2026): 1,
        ("F", "invoice", 2027): 1,
    }


@pytest.mark.django_db
def test_a_rolled_back_document_gives_its_number_back(regie):
    take(regie, Document.RECEIPT)
    with pytest.raises(IntegrityError), transaction.atomic():
        assert next_number(regie=regie, year=2026, document=Document.RECEIPT).sequence == 2
        raise IntegrityError("panne simulée")

    assert take(regie, Document.RECEIPT) == "FR2026000002"


@pytest.mark.django_db(transaction=True)
def test_a_number_is_only_taken_inside_the_transaction_of_its_document(regie):
    with pytest.raises(transaction.TransactionManagementError):
        next_number(regie=regie, year=2026, document=Document.INVOICE)
    assert not InvoiceCounter.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_receipts_and_credit_notes_numbered_at_once_have_neither_gap_nor_twin(regie):
    """Twelve documents at once, on series that do not exist yet: each series is made
    once, and every number is given once, in order."""

    def number(document: Document):
        def run() -> str:
            with transaction.atomic():
                taken = next_number(regie=regie, year=2026, document=document).text
                time.sleep(0.01)  # hold the lock: the others queue behind it
                return taken

        return run

    documents = [Document.RECEIPT, Document.CREDIT_NOTE, Document.INVOICE] * 4
    taken = run_together([number(document) for document in documents])

    assert sorted(n for n in taken if n.startswith("FR")) == [f"FR2026{n:06d}" for n in range(1, 5)]
    assert sorted(n for n in taken if not n.startswith("FR")) == [
        f"F2026{n:06d}" for n in range(1, 9)
    ]
    assert counters() == {("F", "invoice", 2026): 8, ("F", "receipt", 2026): 4}


@pytest.mark.django_db(transaction=True)
def test_credit_notes_and_payments_at_the_desk_at_once_number_each_document_once(
    regie, meal, meal_tariff, agent
):
    families = [make_family(f"F{i}", "Enfant", qf="500") for i in range(3)]
    for family in families:
        book(family.children.get(), meal, [nov(2), nov(3)])
    with time_machine.travel(RUN_AT, tick=False):
        issue_invoices(month=NOVEMBER)
    invoices = list(Invoice.objects.order_by("number"))
    assert [i.number for i in invoices] == ["F2026000001", "F2026000002", "F2026000003"]

    def credit(invoice):
        return lambda: credit_note(invoice=invoice, amount=D("1.00"), reason="Erreur", by=agent)

    def pay(family):
        return lambda: record_payment(regie=regie, family=family, method=Method.CASH, amount="1")

    with time_machine.travel(RUN_AT, tick=False):
        run_together([credit(i) for i in invoices] + [pay(f) for f in families])

    notes = Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE)
    assert sorted(notes.values_list("number", "sequence")) == [
        ("F2026000004", 4),
        ("F2026000005", 5),
        ("F2026000006", 6),
    ]
    assert sorted(Payment.objects.values_list("receipt_number", flat=True)) == [
        "FR2026000001",
        "FR2026000002",
        "FR2026000003",
    ]
    assert counters() == {("F", "invoice", 2026): 6, ("F", "receipt", 2026): 3}
