"""The demo's billing: a régie, its tariffs, and the invoices of the months that are over."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
import time_machine

from billing.demo import seed_billing
from billing.models import (
    Invoice,
    InvoiceLine,
    LineKind,
    Method,
    Payment,
    Regie,
    RegieActivity,
    Tariff,
)
from billing.queries import outstanding
from messaging.models import Kind, Message
from portail.demo import seed_demo
from reservations.models import Activity, Booking
from tests.billing.invoicing import PARIS

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


@pytest.fixture
def demo():
    with time_machine.travel(datetime(2026, 11, 26, 9, 0, tzinfo=PARIS), tick=False):
        seed_demo(TODAY)
        seed_billing(TODAY)
        yield


def snapshot() -> dict:
    return {
        "invoices": sorted(
            Invoice.objects.values_list("number", "family__name", "period", "total", "pdf")
        ),
        "lines": InvoiceLine.objects.count(),
        "bookings": Booking.objects.count(),
        "tariffs": Tariff.objects.count(),
        "messages": Message.objects.count(),
    }


def test_one_regie_bills_the_five_activities_with_a_tariff_for_each_unit(demo):
    regie = Regie.objects.get()
    assert (regie.name, regie.code) == ("Régie enfance", "F")
    assert Activity.objects.filter(regie_link__regie=regie).count() == 5
    assert not Tariff.objects.filter(unit__activity__regie_link__isnull=True).exists()
    meal = Tariff.objects.get(unit__name="Repas")
    assert [b.price for b in meal.brackets.all()][0] == D("1.00")  # la cantine à 1 €


def test_the_months_that_are_over_are_invoiced_with_their_pdf(demo):
    invoices = Invoice.objects.order_by("number")
    assert [(i.number, i.family.name, i.period) for i in invoices] == [
        ("F2026000001", "DURAND", date(2026, 9, 1)),
        ("F2026000002", "MARTIN", date(2026, 9, 1)),
        ("F2026000003", "DURAND", date(2026, 10, 1)),
        ("F2026000004", "MARTIN", date(2026, 10, 1)),
    ]
    assert all(i.pdf and i.notified_at for i in invoices)
    september = invoices[1]
    assert september.issued_at == datetime(2026, 10, 1, 6, 0, tzinfo=PARIS)
    assert september.payer_name == "Claire MARTIN"
    kinds = set(InvoiceLine.objects.values_list("kind", flat=True))
    assert kinds == {LineKind.NORMAL, LineKind.PAI, LineKind.SURCHARGE, LineKind.EXEMPT}
    lea_meals = september.lines.get(child_name="Léa MARTIN", kind=LineKind.PAI)
    assert lea_meals.unit_price == D("1.50")  # Léa has a PAI
    assert Message.objects.filter(kind=Kind.INVOICE).count() == 4


def test_a_second_run_changes_nothing(demo):
    before = snapshot()
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=PARIS), tick=False):
        seed_demo(TODAY)
        seed_billing(TODAY)
    assert snapshot() == before


def test_martin_paid_the_oldest_invoice_by_cheque_and_has_one_to_pay_online(demo):
    regie = Regie.objects.get()
    assert (regie.payfip_numcli, regie.payfip_saisie) == ("123456", "T")
    cheque = Payment.objects.get(family__name="MARTIN")
    assert (cheque.method, cheque.receipt_number, cheque.bank) == (
        Method.CHEQUE,
        "FR2026000001",
        "Banque Postale",
    )
    september = Invoice.objects.get(family__name="MARTIN", period=date(2026, 9, 1))
    assert cheque.allocations.get().invoice == september
    assert cheque.amount == september.total
    assert [i.period for i in outstanding(Invoice.objects.filter(family__name="MARTIN"))] == [
        date(2026, 10, 1)
    ]
    assert Message.objects.filter(recipient__name="MARTIN", kind=Kind.PAYMENT).count() == 1
    cesu = dict(RegieActivity.objects.values_list("activity__name", "accepts_cesu"))
    assert cesu == {
        "Restauration scolaire": False,
        "Garderie matin": True,
        "Garderie soir": True,
        "ALSH mercredi": True,
        "ALSH vacances": True,
    }
    assert RegieActivity.objects.get(activity__name="ALSH mercredi").cesu_age_limit == 6
