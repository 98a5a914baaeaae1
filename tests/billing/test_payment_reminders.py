"""send_payment_reminders (cron, daily): an unpaid invoice is reminded 7 and 30 days after
its due date, once per step."""

from datetime import datetime
from decimal import Decimal as D
from itertools import count

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.credit_notes import credit_note
from billing.invoicing import issue
from billing.models import Allocation, Invoice, Method, Payment, PaymentReminder
from messaging.models import Kind, Message
from tests.billing.invoicing import (
    NOVEMBER,
    PARIS,
    RUN_AT,
    book,
    lock_held_elsewhere,
    make_family,
    nov,
)
from tests.reservations.commands import run, run_together

pytestmark = pytest.mark.django_db
RECEIPTS = count(1)
# savepoint, get_or_create (select, savepoint, insert, release), notify (savepoint, message,
# e-mail, release), release
PER_REMINDER = 10


def on(day: str):
    """9:00 in Paris on that day (YYYY-MM-DD)."""
    return time_machine.travel(
        datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=PARIS), tick=False
    )


def families_owing(n: int, meal) -> list[Invoice]:
    for i in range(n):
        family = make_family(f"DUE{i:02d}", "Enfant")  # no QF: 4,60 a meal
        family.email = f"due{i}@example.org"
        family.save()
        book(family.children.get(), meal, [nov(2), nov(3)])
    with time_machine.travel(RUN_AT, tick=False):  # due 31 December 2026
        issue(month=NOVEMBER, workers=1)
    return list(Invoice.objects.order_by("number"))


@pytest.fixture
def invoice(regie, meal, meal_tariff) -> Invoice:
    return families_owing(1, meal)[0]


def pay(invoice: Invoice, amount: str) -> None:
    payment = Payment.objects.create(
        regie=invoice.regie,
        family=invoice.family,
        method=Method.CASH,
        amount=D(amount),
        receipt_number=f"R{next(RECEIPTS)}",
    )
    Allocation.objects.create(payment=payment, invoice=invoice, amount=D(amount))


def reminders(invoice: Invoice) -> list[Message]:
    return list(Message.objects.filter(recipient=invoice.family, kind=Kind.REMINDER))


def test_nothing_before_the_first_step(invoice):
    with on("2027-01-06"):
        assert run("send_payment_reminders").strip() == "0 relance(s) envoyée(s)."
    assert reminders(invoice) == []


def test_each_step_is_sent_once(invoice):
    with on("2027-01-07"):
        output = run("send_payment_reminders")
    assert "F2026000001 — famille DUE00 — J+7" in output
    [first] = reminders(invoice)
    assert first.subject == "Rappel : facture F2026000001 à régler"
    assert "il reste 9,20\u00a0€ à régler" in first.body
    assert "avant le 31 décembre 2026" in first.body
    assert "Trésor public" not in first.body
    assert first.link_url == f"/factures/{invoice.pk}/"

    with on("2027-01-08"):
        assert run("send_payment_reminders").strip() == "0 relance(s) envoyée(s)."
    with on("2027-01-29"):
        assert run("send_payment_reminders").strip() == "0 relance(s) envoyée(s)."
    with on("2027-01-30"):
        assert "J+30" in run("send_payment_reminders")
    with on("2027-03-01"):
        assert run("send_payment_reminders").strip() == "0 relance(s) envoyée(s)."

    first_again, second = sorted(reminders(invoice), key=lambda m: m.pk)
    assert first_again == first
    assert second.subject == "Nouveau rappel : facture F2026000001 à régler"
    assert "Trésor public" in second.body
    assert list(PaymentReminder.objects.values_list("step", flat=True)) == [7, 30]


def test_an_invoice_found_late_gets_the_latest_step_only(invoice):
    with on("2027-02-15"):
        run("send_payment_reminders")
    [message] = reminders(invoice)
    assert message.subject == "Rappel : facture F2026000001 à régler"  # the first one sent
    assert "Trésor public" in message.body
    assert list(PaymentReminder.objects.values_list("step", flat=True)) == [30]


def test_a_paid_invoice_is_not_reminded(invoice):
    pay(invoice, "9.20")
    with on("2027-01-07"):
        run("send_payment_reminders")
    assert reminders(invoice) == []


def test_a_partly_paid_invoice_is_reminded_of_what_is_left(invoice):
    pay(invoice, "5.00")
    with on("2027-01-07"):
        run("send_payment_reminders")
    [message] = reminders(invoice)
    assert "il reste 4,20\u00a0€ à régler" in message.body


def test_an_invoice_settled_by_a_credit_note_is_not_reminded(invoice, agent):
    with on("2026-12-15"):
        credit_note(invoice=invoice, amount=D("9.20"), reason="Erreur de pointage", by=agent)
    with on("2027-01-07"):
        run("send_payment_reminders")
    assert reminders(invoice) == []


def test_dry_run_lists_and_sends_nothing(invoice):
    with on("2027-01-07"):
        output = run("send_payment_reminders", "--dry-run")
    assert "F2026000001 — famille DUE00 — J+7" in output
    assert "1 relance(s) seraient envoyée(s)." in output
    assert reminders(invoice) == []
    assert not PaymentReminder.objects.exists()


def test_it_does_nothing_while_another_server_holds_the_lock(invoice):
    with on("2027-01-07"), lock_held_elsewhere("billing.send_payment_reminders"):
        output = run("send_payment_reminders")
    assert output.strip() == "Un autre passage est en cours : rien à faire."
    assert reminders(invoice) == []


def test_the_command_costs_the_same_queries_per_invoice(regie, meal, meal_tariff):
    families_owing(6, meal)
    PaymentReminder.objects.bulk_create(  # 4 of them were reminded already
        PaymentReminder(invoice=i, step=7, sent_at=RUN_AT)
        for i in Invoice.objects.order_by("pk")[:4]
    )
    with on("2027-01-07"), CaptureQueriesContext(connection) as two:
        run("send_payment_reminders")
    PaymentReminder.objects.all().delete()
    with on("2027-01-08"), CaptureQueriesContext(connection) as six:
        run("send_payment_reminders")

    assert Message.objects.filter(kind=Kind.REMINDER).count() == 8
    assert len(six) - len(two) == 4 * PER_REMINDER


@pytest.mark.django_db(transaction=True)
def test_two_servers_at_once_send_each_reminder_once(regie, meal, meal_tariff):
    families_owing(3, meal)
    with on("2027-01-07"):
        run_together("send_payment_reminders")
    assert Message.objects.filter(kind=Kind.REMINDER).count() == 3
    assert PaymentReminder.objects.count() == 3
