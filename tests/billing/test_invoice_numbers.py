"""Invoice numbers: sequential, without gap nor twin, per régie and year — even when two
runs overlap, on PostgreSQL with real threads."""

from datetime import date, datetime

import pytest
import time_machine
from django.db import IntegrityError

from accounts.models import Family
from billing.invoicing import issue_invoices, issuing
from billing.models import Invoice, InvoiceCounter, InvoiceLine
from billing.numbering import Document, format_number
from tests.billing.invoicing import NOVEMBER, PARIS, RUN_AT, book, make_family, nov
from tests.reservations.test_booking_concurrency import run_together


def families_with_a_meal(n: int, meal) -> list:
    families = [make_family(f"F{i:02d}", "Enfant", qf="500") for i in range(n)]
    for i, family in enumerate(families):
        book(family.children.get(), meal, [nov(2 + i % 20)])
    return families


def numbers() -> list[str]:
    return sorted(Invoice.objects.values_list("number", flat=True))


def test_the_number_is_letters_and_digits_only(regie):
    number = format_number(regie=regie, year=2026, sequence=123, document=Document.INVOICE)
    assert number == "F2026000123"


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_issue_each_invoice_once_with_contiguous_numbers(
    regie, meal, meal_tariff, monkeypatch
):
    monkeypatch.setattr(issuing, "CHUNK", 5)  # several chunks each: they interleave
    families = families_with_a_meal(12, meal)

    with time_machine.travel(RUN_AT, tick=False):
        reports = run_together([lambda: issue_invoices(month=NOVEMBER)] * 2)

    assert sum(r.issued for r in reports) == 12
    assert sum(r.already for r in reports) == 12  # each saw the other's invoices
    assert numbers() == [f"F2026{n:06d}" for n in range(1, 13)]
    assert sorted(Invoice.objects.values_list("family_id", flat=True)) == sorted(
        f.pk for f in families
    )
    assert InvoiceCounter.objects.get(regie=regie, year=2026).last == 12


@pytest.mark.django_db(transaction=True)
def test_failed_invoices_give_their_numbers_back(regie, meal, meal_tariff, monkeypatch):
    families_with_a_meal(3, meal)
    real = InvoiceLine.objects.bulk_create

    def fail(lines, *args, **kwargs):
        raise IntegrityError("panne simulée")

    monkeypatch.setattr(InvoiceLine.objects, "bulk_create", fail)
    with time_machine.travel(RUN_AT, tick=False), pytest.raises(IntegrityError):
        issue_invoices(month=NOVEMBER)
    assert numbers() == []  # rolled back, numbers included
    assert InvoiceCounter.objects.get().last == 0
    monkeypatch.setattr(InvoiceLine.objects, "bulk_create", real)

    with time_machine.travel(RUN_AT, tick=False):
        issue_invoices(month=NOVEMBER)

    assert numbers() == ["F2026000001", "F2026000002", "F2026000003"]


@pytest.mark.django_db
def test_numbering_starts_again_each_year_and_for_each_regie(regie, meal, meal_tariff):
    families_with_a_meal(2, meal)
    with time_machine.travel(RUN_AT, tick=False):
        issue_invoices(month=NOVEMBER)
    december = date(2026, 12, 1)
    for family in Family.objects.all():
        book(family.children.get(), meal, [date(2026, 12, 3)])
    with time_machine.travel(datetime(2027, 1, 4, 8, 0, tzinfo=PARIS), tick=False):
        issue_invoices(month=december)

    assert numbers() == ["F2026000001", "F2026000002", "F2027000001", "F2027000002"]


@pytest.mark.django_db
def test_the_database_refuses_a_twin_number(regie, meal, meal_tariff):
    families_with_a_meal(1, meal)
    with time_machine.travel(RUN_AT, tick=False):
        issue_invoices(month=NOVEMBER)
    invoice = Invoice.objects.get()
    invoice.pk = None
    invoice.period = date(2026, 10, 1)
    invoice.sequence = 2
    with pytest.raises(IntegrityError):
        invoice.save()
