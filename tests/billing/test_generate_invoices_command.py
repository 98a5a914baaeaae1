"""generate_invoices (cron, the 1st of the month): once, idempotent, --dry-run, one
server at a time."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.management import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.management.commands.generate_invoices import previous_month
from billing.models import Invoice
from messaging.models import Message
from reservations.models import Status
from tests.billing.invoicing import PARIS, RUN_AT, book, lock_held_elsewhere, make_family, nov
from tests.reservations.commands import run, run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def november(family, other_family, regie, meal, meal_tariff):
    lea, hugo = family.children.order_by("birth_date")
    book(lea, meal, [nov(2), nov(3)])  # no QF: 2 × 4,60
    book(hugo, meal, [nov(2)], status=Status.EXCUSED)
    book(other_family.children.get(), meal, [nov(5)])  # 4,60
    make_family("VIDE", "Rien")  # no booking: no invoice


def test_previous_month_is_the_default():
    assert previous_month(date(2026, 12, 1)) == date(2026, 11, 1)
    assert previous_month(date(2027, 1, 15)) == date(2026, 12, 1)


@time_machine.travel(RUN_AT, tick=False)
def test_it_issues_the_month_and_says_so(november):
    output = run("generate_invoices", "--month", "2026-11", "--workers", "1")

    assert "Régie périscolaire : 2 facture(s), 13,80\u00a0€" in output
    assert (
        "Novembre 2026 : 2 facture(s) émise(s), 0 déjà émise(s) ; 2 PDF, 2 famille(s) "
        "prévenue(s)." in output
    )
    assert Invoice.objects.count() == 2
    assert not Invoice.objects.filter(pdf="").exists()


@time_machine.travel(RUN_AT, tick=False)
def test_without_month_it_bills_the_previous_one(november):
    output = run("generate_invoices", "--workers", "1")
    assert "Novembre 2026 : 2 facture(s) émise(s)" in output


@time_machine.travel(RUN_AT, tick=False)
def test_a_second_run_changes_nothing(november):
    run("generate_invoices", "--month", "2026-11", "--workers", "1")
    before = list(Invoice.objects.values_list("pk", "number", "total", "pdf", "notified_at"))
    messages = Message.objects.count()

    output = run("generate_invoices", "--month", "2026-11", "--workers", "1")

    assert "0 facture(s) émise(s), 2 déjà émise(s) ; 0 PDF, 0 famille(s) prévenue(s)" in output
    assert list(Invoice.objects.values_list("pk", "number", "total", "pdf", "notified_at")) == (
        before
    )
    assert Message.objects.count() == messages


@time_machine.travel(RUN_AT, tick=False)
def test_dry_run_shows_the_totals_and_saves_nothing(november):
    output = run("generate_invoices", "--month", "2026-11", "--dry-run")

    assert "Régie périscolaire : 2 famille(s), 13,80\u00a0€" in output
    assert "Novembre 2026 (simulation : rien n'est enregistré) : 2 facture(s)" in output
    assert not Invoice.objects.exists()
    assert not Message.objects.exists()


@time_machine.travel(RUN_AT, tick=False)
def test_a_month_that_is_not_one_is_refused(november):
    with pytest.raises(CommandError, match="attendu AAAA-MM"):
        run("generate_invoices", "--month", "novembre")


@time_machine.travel(datetime(2026, 11, 30, 20, 0, tzinfo=PARIS), tick=False)
def test_a_month_not_over_is_not_invoiced_yet(november):
    refusal = "Novembre 2026 n'est pas terminé : il se facture à partir du 1er décembre 2026."
    with pytest.raises(CommandError, match=refusal):
        run("generate_invoices", "--month", "2026-11")
    assert not Invoice.objects.exists()
    assert "2 facture(s)" in run("generate_invoices", "--month", "2026-11", "--dry-run")


@time_machine.travel(RUN_AT, tick=False)
def test_it_does_nothing_while_another_server_holds_the_lock(november):
    with lock_held_elsewhere("billing.generate_invoices"):
        output = run("generate_invoices", "--month", "2026-11")

    assert output.strip() == "Une autre facturation est en cours : rien à faire."
    assert not Invoice.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_servers_at_once_issue_the_month_once(november):
    with time_machine.travel(RUN_AT, tick=False):
        outputs = run_together("generate_invoices")

    assert Invoice.objects.count() == 2
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        "F2026000001",
        "F2026000002",
    ]
    assert Message.objects.count() == 2
    assert any("2 facture(s) émise(s)" in o for o in outputs)


def test_the_command_costs_the_same_queries_for_small_and_big_families(
    regie, meal, alsh_day, meal_tariff, alsh_tariff
):
    """Two families of one child and one meal, then two of three children with twenty
    days each: the same queries, PDFs and messages included."""
    for name, children, days, month in [("A", 1, 1, 10), ("B", 3, 20, 11)]:
        for i in range(2):
            family = make_family(f"{name}{i}", *[f"E{c}" for c in range(children)], qf="600")
            for child in family.children.all():
                book(child, meal, [date(2026, month, d) for d in range(2, 2 + days)])
                book(child, alsh_day, [date(2026, month, 28)], status=Status.ABSENT)
    run("generate_invoices", "--month", "2026-09", "--workers", "1")  # creates the counter

    with time_machine.travel(RUN_AT, tick=False), CaptureQueriesContext(connection) as small:
        run("generate_invoices", "--month", "2026-10", "--workers", "1")
    with time_machine.travel(RUN_AT, tick=False), CaptureQueriesContext(connection) as big:
        run("generate_invoices", "--month", "2026-11", "--workers", "1")

    assert Invoice.objects.filter(period=date(2026, 11, 1)).count() == 2
    assert len(big) == len(small)
