"""The invoice run marks the lines CESU may pay, and settles new invoices with a family's
credit (an earlier over-payment)."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.invoicing import issue_invoices
from billing.models import Invoice, Method, RegieActivity
from billing.payments import record_payment
from children.models import Child
from reservations.models import Status
from tests.billing.invoicing import NOVEMBER, RUN_AT, book, make_family, nov, with_qf

pytestmark = pytest.mark.django_db


def cesu_lines(invoice) -> list[tuple]:
    return [
        (line.child_name, line.description, [d.day for d in line.days], line.cesu_eligible)
        for line in invoice.lines.order_by("position")
    ]


def test_the_age_the_cesu_limit_reads_counts_full_years():
    def age(born: date, on: date) -> int:
        return Child(birth_date=born).age(on)

    assert age(date(2020, 11, 10), date(2026, 11, 9)) == 5
    assert age(date(2020, 11, 10), date(2026, 11, 10)) == 6
    assert age(date(2020, 2, 29), date(2026, 2, 28)) == 5


def test_alsh_of_under_6s_is_payable_in_cesu_and_the_canteen_never(
    family, regie, meal, alsh, alsh_day, meal_tariff, alsh_tariff
):
    RegieActivity.objects.filter(activity=alsh).update(accepts_cesu=True, cesu_age_limit=6)
    alsh_tariff.late_cancel_value = D("100")  # percent of the day's price
    alsh_tariff.save()
    with_qf(family, "612")
    lea = family.children.get(first_name="Léa")
    zoe = Child.objects.create(
        family=family, first_name="Zoé", last_name="MARTIN", birth_date=date(2020, 11, 10)
    )
    book(lea, alsh_day, [nov(4)])
    book(lea, meal, [nov(2)])
    book(zoe, alsh_day, [nov(4), nov(5), nov(18)])  # 6 years old on the 10th
    book(zoe, alsh_day, [nov(19)], status=Status.LATE_CANCELLED)

    with time_machine.travel(RUN_AT, tick=False):
        issue_invoices(month=NOVEMBER)

    invoice = Invoice.objects.get(family=family)
    day = "Journée avec repas (QF 612 × taux d'effort)"
    assert cesu_lines(invoice) == [
        ("Léa MARTIN", "Repas (QF ≤ 700)", [2], False),
        ("Léa MARTIN", day, [4], False),  # nine years old
        ("Zoé MARTIN", day, [4, 5], True),  # before her birthday: one line…
        ("Zoé MARTIN", day, [18], False),  # … and one after
        ("Zoé MARTIN", "Journée avec repas — annulation hors délai", [19], False),
    ]


def test_an_activity_accepting_cesu_at_any_age_marks_every_line(
    family, regie, alsh, alsh_day, alsh_tariff
):
    RegieActivity.objects.filter(activity=alsh).update(accepts_cesu=True)
    with_qf(family, "612")
    book(family.children.get(first_name="Léa"), alsh_day, [nov(4)])

    with time_machine.travel(RUN_AT, tick=False):
        issue_invoices(month=NOVEMBER)

    assert [line.cesu_eligible for line in Invoice.objects.get().lines.all()] == [True]


def test_a_credit_settles_the_next_invoice_run(family, regie, meal, meal_tariff):
    with_qf(family, "612")
    book(family.children.get(first_name="Léa"), meal, [nov(2), nov(3)])  # 2 × 2,35
    with time_machine.travel(timezone.make_aware(datetime(2026, 11, 20, 10)), tick=False):
        advance = record_payment(regie=regie, family=family, method=Method.CASH, amount=D("10"))
    assert advance.allocations.count() == 0  # nothing to pay yet: all credit

    with time_machine.travel(RUN_AT, tick=False):
        report = issue_invoices(month=NOVEMBER)

    invoice = Invoice.objects.get(family=family)
    assert report.settled_by_credit == 1
    assert [(a.payment, a.amount) for a in invoice.allocations.all()] == [(advance, D("4.70"))]

    with time_machine.travel(RUN_AT, tick=False):
        again = issue_invoices(month=NOVEMBER)
    assert (again.issued, again.settled_by_credit) == (0, 0)


def test_crediting_costs_the_run_the_same_queries_for_one_family_or_many(regie, meal, meal_tariff):
    """Families with credit cost a few queries each; the others none."""

    def run_with(families: int) -> int:
        Invoice.objects.all().delete()
        made = [make_family(f"C{families}{i}", "Enfant", qf="500") for i in range(families)]
        for item in made:
            book(item.children.get(), meal, [nov(2)])
        with time_machine.travel(RUN_AT, tick=False), CaptureQueriesContext(connection) as seen:
            issue_invoices(month=NOVEMBER)
        return len(seen)

    run_with(1)  # the counter row is made once
    assert run_with(2) == run_with(12)
