"""record_payment: how a payment settles invoices, what it refuses, its receipt number, and
no double payment when two cashiers (or a cashier and PayFiP) pay at the same moment."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
import time_machine
from django.utils import timezone

from billing.models import Allocation, InvoiceCounter, Method, Payment, Regie, RegieActivity
from billing.payments import PaymentError, apply_credit, record_payment
from tests.billing.ledger import credit_note, invoice
from tests.billing.payments import CANTEEN, GARDERIE, allocated, invoice_with, split
from tests.reservations.test_booking_concurrency import run_together

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 12, 10, 14, 30)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(timezone.make_aware(NOW), tick=False)


@pytest.fixture
def october(family, regie_enfance):
    return invoice(family, regie_enfance, period=date(2026, 10, 1), total="30.00")


@pytest.fixture
def november(family, regie_enfance, october):
    return invoice(family, regie_enfance, period=date(2026, 11, 1), total="40.00")


def pay(regie, family, amount, method=Method.CASH, **fields) -> Payment:
    return record_payment(regie=regie, family=family, method=method, amount=amount, **fields)


# --- allocation ------------------------------------------------------------------------------


def test_the_oldest_invoice_is_settled_first(family, regie_enfance, october, november, agent):
    payment = pay(regie_enfance, family, D("50.00"), recorded_by=agent)

    assert split(payment) == [(october.number, D("30.00")), (november.number, D("20.00"))]
    assert payment.receipt_number == "ER2026000001"
    assert (payment.received_at, payment.recorded_by) == (timezone.now(), agent)


def test_the_invoices_chosen_are_settled_in_their_order(family, regie_enfance, october, november):
    payment = pay(regie_enfance, family, "40,00", invoices=[november])

    assert split(payment) == [(november.number, D("40.00"))]
    assert allocated(to=october) == 0


def test_a_partial_payment_leaves_the_rest_to_pay(family, regie_enfance, october):
    pay(regie_enfance, family, D("12.50"))
    pay(regie_enfance, family, D("10.00"))

    assert allocated(to=october) == D("22.50")


def test_a_credit_note_lowers_what_a_payment_can_settle(family, regie_enfance, october):
    credit_note(october, total="10.00", issued=date(2026, 11, 15))

    payment = pay(regie_enfance, family, D("25.00"))

    assert split(payment) == [(october.number, D("20.00"))]  # 5,00 € left as credit


def test_an_over_payment_is_a_credit_that_settles_the_next_invoice(family, regie_enfance, october):
    payment = pay(regie_enfance, family, D("50.00"))
    assert split(payment) == [(october.number, D("30.00"))]  # 20,00 € of credit

    december = invoice(family, regie_enfance, period=date(2026, 12, 1), total="15.00")
    made = apply_credit(family=family, regie=regie_enfance)

    assert [(a.invoice, a.amount) for a in made] == [(december, D("15.00"))]
    assert allocated(by=payment) == D("45.00")
    assert apply_credit(family=family, regie=regie_enfance) == []  # once


def test_a_chosen_invoice_then_the_others_with_what_is_left(
    family, regie_enfance, october, november
):
    payment = pay(regie_enfance, family, D("50.00"), invoices=[november.pk])

    # November as chosen; the 10,00 € left is a credit, and a credit settles what is due.
    assert split(payment) == [(october.number, D("10.00")), (november.number, D("40.00"))]


def test_a_payment_without_invoices_is_all_credit(family, regie_enfance):
    payment = pay(regie_enfance, family, D("20.00"))

    assert payment.allocations.count() == 0
    assert payment.amount == D("20.00")


# --- refusals: a clear message, nothing recorded -----------------------------------------


def refused(regie, family, amount, method=Method.CASH, **fields) -> str:
    with pytest.raises(PaymentError) as caught:
        pay(regie, family, amount, method, **fields)
    assert Payment.objects.count() == 0
    assert Allocation.objects.count() == 0
    assert not InvoiceCounter.objects.filter(last__gt=0, series="receipt").exists()
    return caught.value.messages[0]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (D("0"), "Le montant doit être supérieur à zéro."),
        (D("-5"), "Le montant doit être supérieur à zéro."),
        ("douze", "Le montant n'est pas un nombre."),
        (D("1.005"), "Le montant se donne au centime près (deux décimales au plus)."),
        (D("NaN"), "Le montant doit être supérieur à zéro."),
        (D("1000000000"), "Le montant est trop grand."),
    ],
)
def test_a_bad_amount_is_refused(family, regie_enfance, october, amount, message):
    assert refused(regie_enfance, family, amount) == message


def test_a_cheque_needs_its_number_and_bank(family, regie_enfance, october):
    message = "Pour un chèque, indiquez son numéro et sa banque."
    assert refused(regie_enfance, family, D("5"), Method.CHEQUE, reference="1234567") == message
    assert refused(regie_enfance, family, D("5"), Method.CHEQUE, bank="La Poste") == message

    cheque = pay(regie_enfance, family, D("5"), Method.CHEQUE, reference="1234567", bank="La Poste")
    assert (cheque.reference, cheque.bank) == ("1234567", "La Poste")


def test_an_online_payment_needs_its_transaction(family, regie_enfance, october):
    message = refused(regie_enfance, family, D("5"), Method.ONLINE)
    assert message == "Un paiement en ligne s'enregistre avec son n° de transaction."


def test_a_transaction_is_recorded_once(family, regie_enfance, october):
    first = pay(regie_enfance, family, D("5"), Method.ONLINE, transaction_id="idop-1")

    with pytest.raises(PaymentError, match=f"déjà enregistrée \\(reçu {first.receipt_number}\\)"):
        pay(regie_enfance, family, D("5"), Method.ONLINE, transaction_id="idop-1")
    assert Payment.objects.count() == 1


def test_an_unknown_method_is_refused(family, regie_enfance):
    assert refused(regie_enfance, family, D("5"), "bitcoin") == "Mode de paiement inconnu."


def test_a_payment_received_tomorrow_is_refused(family, regie_enfance):
    tomorrow = timezone.make_aware(datetime(2026, 12, 11, 9, 0))
    message = refused(regie_enfance, family, D("5"), received_at=tomorrow)
    assert message == "La date de réception ne peut pas être dans le futur."


def test_another_familys_invoice_is_refused(family, other_family, regie_enfance, october):
    theirs = invoice(other_family, regie_enfance, period=date(2026, 10, 1), total="9.00")
    message = refused(regie_enfance, family, D("5"), invoices=[october, theirs])
    assert message == f"La facture {theirs.number} n'est pas celle de la famille MARTIN."


def test_another_regies_invoice_is_refused(family, regie_enfance, october):
    sports = Regie.objects.create(name="Régie sports", code="S", payee="Régie sports")
    message = refused(sports, family, D("5"), invoices=[october])
    assert message == f"La facture {october.number} n'est pas de la régie « Régie sports »."


def test_a_credit_note_cannot_be_paid(family, regie_enfance, october):
    note = credit_note(october, total="5.00", issued=date(2026, 11, 15))
    message = refused(regie_enfance, family, D("5"), invoices=[note])
    assert message == f"{note.number} est un avoir : il ne se paie pas."


def test_a_settled_invoice_cannot_be_chosen(family, regie_enfance, october):
    pay(regie_enfance, family, D("30.00"))
    with pytest.raises(PaymentError, match=f"La facture {october.number} est déjà réglée."):
        pay(regie_enfance, family, D("5"), invoices=[october])
    assert Payment.objects.count() == 1


def test_an_unknown_invoice_is_refused(family, regie_enfance, october):
    message = refused(regie_enfance, family, D("5"), invoices=[october.pk + 1000])
    assert message == "Une des factures choisies n'existe pas."


# --- CESU: childcare only -------------------------------------------------------------------


@pytest.fixture
def childcare(regie_enfance, canteen, alsh):
    """The commune accepts CESU for the garderie, and for the ALSH of children under 6."""
    from reservations.models import Activity, Pattern

    evening = Activity.objects.create(
        name="Garderie soir",
        pattern=Pattern.SCHOOL_DAYS,
        booking_rule=canteen.booking_rule,
        cancel_rule=canteen.cancel_rule,
        position=2,
    )
    RegieActivity.objects.create(regie=regie_enfance, activity=canteen)
    RegieActivity.objects.create(regie=regie_enfance, activity=evening, accepts_cesu=True)
    RegieActivity.objects.create(
        regie=regie_enfance, activity=alsh, accepts_cesu=True, cesu_age_limit=6
    )
    return regie_enfance


def test_cesu_are_refused_on_the_canteen(family, childcare):
    meals = invoice_with(family, childcare, period=date(2026, 11, 1), lines=[CANTEEN])

    message = refused(childcare, family, D("10.00"), Method.CESU, reference="CESU 12")

    assert message == (
        "Les CESU ne règlent que : ALSH vacances (moins de 6 ans) et Garderie soir. "
        "Ici, aucune facture à régler ne comporte ces prestations."
    )
    assert allocated(to=meals) == 0


def test_cesu_pay_the_garderie_part_and_no_more(family, childcare):
    mixed = invoice_with(
        family,
        childcare,
        period=date(2026, 11, 1),
        lines=[CANTEEN, GARDERIE],
        eligible=[GARDERIE[1]],
    )

    message = refused(childcare, family, D("20.00"), Method.CESU)
    assert message == (
        "Les CESU ne règlent que : ALSH vacances (moins de 6 ans) et Garderie soir. "
        f"Au plus 18,00\u00a0€ en CESU sur la facture {mixed.number}."
    )

    cesu = pay(childcare, family, D("18.00"), Method.CESU)
    assert split(cesu) == [(mixed.number, D("18.00"))]
    # The garderie is paid: CESU take nothing more, other means pay the canteen.
    assert refused_again(childcare, family, D("0.01"))
    cash = pay(childcare, family, D("23.50"))
    assert split(cash) == [(mixed.number, D("23.50"))]


def refused_again(regie, family, amount) -> bool:
    with pytest.raises(PaymentError):
        pay(regie, family, amount, Method.CESU)
    return True


def test_cesu_over_several_invoices_name_them_all(family, childcare):
    first = invoice_with(
        family, childcare, period=date(2026, 10, 1), lines=[GARDERIE], eligible=[GARDERIE[1]]
    )
    second = invoice_with(
        family,
        childcare,
        period=date(2026, 11, 1),
        lines=[CANTEEN, GARDERIE],
        eligible=[GARDERIE[1]],
    )

    message = refused(childcare, family, D("40.00"), Method.CESU)
    assert message.endswith(
        f"Au plus 36,00\u00a0€ en CESU sur les factures {first.number}, {second.number}."
    )

    cesu = pay(childcare, family, D("30.00"), Method.CESU)
    assert split(cesu) == [(first.number, D("18.00")), (second.number, D("12.00"))]


def test_cash_paid_before_leaves_cesu_only_what_is_still_due(family, childcare):
    garderie = invoice_with(
        family, childcare, period=date(2026, 10, 1), lines=[GARDERIE], eligible=[GARDERIE[1]]
    )
    pay(childcare, family, D("10.00"))

    with pytest.raises(PaymentError) as caught:
        pay(childcare, family, D("9.00"), Method.CESU)
    assert "Au plus 8,00\u00a0€ en CESU" in caught.value.messages[0]
    assert split(pay(childcare, family, D("8.00"), Method.CESU)) == [(garderie.number, D("8.00"))]


def test_a_regie_without_cesu_says_so(family, regie_enfance, october):
    message = refused(regie_enfance, family, D("5.00"), Method.CESU)
    assert message == "La régie « Régie enfance » n'accepte pas les CESU."


# --- receipt numbers ----------------------------------------------------------------------


def test_receipt_numbers_follow_each_other_per_regie_and_year(family, regie_enfance):
    sports = Regie.objects.create(name="Régie sports", code="S", payee="Régie sports")
    numbers = [pay(regie_enfance, family, D("1")).receipt_number for _ in range(3)]
    with pytest.raises(PaymentError):
        pay(regie_enfance, family, D("0"))  # refused: takes no number
    numbers.append(pay(sports, family, D("1")).receipt_number)
    numbers.append(pay(regie_enfance, family, D("1")).receipt_number)
    with time_machine.travel(timezone.make_aware(datetime(2027, 1, 4, 9, 0)), tick=False):
        numbers.append(pay(regie_enfance, family, D("1")).receipt_number)

    assert numbers == [
        "ER2026000001",
        "ER2026000002",
        "ER2026000003",
        "SR2026000001",
        "ER2026000004",
        "ER2027000001",
    ]


def test_a_receipt_is_numbered_in_the_year_it_was_received(family, regie_enfance):
    received = timezone.make_aware(datetime(2025, 12, 31, 17, 0))
    assert pay(regie_enfance, family, D("1"), received_at=received).receipt_number == (
        "ER2025000001"
    )


# --- concurrency -----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_four_cashiers_paying_one_invoice_at_once_never_over_allocate(family, regie_enfance):
    october = invoice(family, regie_enfance, period=date(2026, 10, 1), total="30.00")

    payments = run_together([lambda: pay(regie_enfance, family, D("30.00"))] * 4)

    assert allocated(to=october) == D("30.00")
    assert sorted(allocated(by=p) for p in payments) == [0, 0, 0, D("30.00")]
    assert sorted(p.receipt_number for p in payments) == [f"ER2026{n:06d}" for n in range(1, 5)]


@pytest.mark.django_db(transaction=True)
def test_the_same_invoice_chosen_twice_at_once_is_paid_once(family, regie_enfance):
    october = invoice(family, regie_enfance, period=date(2026, 10, 1), total="30.00")

    def choose_october():
        try:
            return pay(regie_enfance, family, D("30.00"), invoices=[october.pk])
        except PaymentError as error:
            return error.messages[0]

    outcomes = run_together([choose_october] * 3)

    refusals = [outcome for outcome in outcomes if isinstance(outcome, str)]
    assert refusals == [f"La facture {october.number} est déjà réglée."] * 2
    assert Payment.objects.count() == 1
    assert allocated(to=october) == D("30.00")


@pytest.mark.django_db(transaction=True)
def test_a_cashier_and_payfip_at_once_share_the_invoices(family, regie_enfance):
    october = invoice(family, regie_enfance, period=date(2026, 10, 1), total="30.00")
    november = invoice(family, regie_enfance, period=date(2026, 11, 1), total="40.00")

    run_together(
        [
            lambda: pay(regie_enfance, family, D("40.00")),
            lambda: pay(
                regie_enfance,
                family,
                D("40.00"),
                Method.ONLINE,
                transaction_id="idop-42",
                invoices=[november],
            ),
        ]
    )

    assert allocated(to=october) == D("30.00")
    assert allocated(to=november) == D("40.00")
    assert allocated() == D("70.00")  # 10,00 € of credit, whoever came second
