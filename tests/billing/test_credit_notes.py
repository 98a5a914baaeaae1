"""Credit notes: an issued invoice never changes; a correction is a numbered avoir."""

from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import ValidationError

from billing.credit_notes import credit_note
from billing.invoicing import issue_invoices
from billing.models import Invoice, InvoiceCounter, InvoiceKind, LineKind
from messaging.models import Kind, Message
from reservations.models import Status
from tests.billing.invoicing import NOVEMBER, RUN_AT, book, lines_of, make_family, nov, with_qf
from tests.reservations.test_booking_concurrency import run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def invoice(family, regie, meal, alsh_day, meal_tariff, alsh_tariff):
    """MARTIN, QF 612: Hugo 4 meals at 2,35 (9,40), an excused day, an ALSH day 12,24."""
    hugo = family.children.order_by("birth_date").last()
    with_qf(family, "612")
    book(hugo, meal, [nov(2), nov(3), nov(5), nov(6)])
    book(hugo, meal, [nov(9)], status=Status.EXCUSED)
    book(hugo, alsh_day, [nov(4)])
    with time_machine.travel(RUN_AT, tick=False):
        issue_invoices(month=NOVEMBER)
    return Invoice.objects.get(family=family)


@pytest.fixture
def meals(invoice):
    return invoice.lines.get(description="Repas (QF ≤ 700)")


@time_machine.travel(RUN_AT, tick=False)
def test_a_credit_note_credits_days_at_the_frozen_price(invoice, meals, agent, meal_tariff):
    before = lines_of(invoice)
    meal_tariff.brackets.update(price=D("9.99"))  # a later tariff change changes nothing

    note = credit_note(invoice=invoice, lines=[(meals, 2)], reason="Sortie scolaire", by=agent)

    assert (note.kind, note.credited_invoice, note.period) == (
        InvoiceKind.CREDIT_NOTE,
        invoice,
        NOVEMBER,
    )
    assert note.number == "F2026000002"  # the régie's counter, after the invoice
    assert (note.family, note.regie, note.payer_name, note.payer_address) == (
        invoice.family,
        invoice.regie,
        invoice.payer_name,
        invoice.payer_address,
    )
    assert lines_of(note) == [
        ("Hugo MARTIN", "Avoir : Repas (QF ≤ 700)", [], 2, D("2.35"), D("4.70"))
    ]
    assert note.total == D("4.70")
    assert (note.reason, note.created_by) == ("Sortie scolaire", agent)
    assert note.pdf.name == "factures/2026/F/F2026000002.pdf"
    invoice.refresh_from_db()
    assert lines_of(invoice) == before  # the invoice itself never changes
    assert invoice.total == D("21.64")


@time_machine.travel(RUN_AT, tick=False)
def test_the_family_is_told_once(invoice, meals, agent):
    note = credit_note(invoice=invoice, lines=[(meals, 1)], reason="Repas non servi", by=agent)

    message = Message.objects.get(recipient=invoice.family, kind=Kind.INVOICE)
    assert message.subject == "Avoir F2026000002 sur votre facture de novembre 2026"
    assert "Un avoir de 2,35\u00a0€" in message.body
    assert "motif : Repas non servi" in message.body
    assert message.link_url == f"/factures/{note.pk}/"
    assert note.notified_at == RUN_AT


@time_machine.travel(RUN_AT, tick=False)
def test_a_lump_sum_credit_note(invoice, agent):
    note = credit_note(invoice=invoice, amount=D("5"), reason="Geste commercial", by=agent)

    assert lines_of(note) == [
        (
            "",
            "Avoir sur la facture F2026000001 : Geste commercial",
            [],
            1,
            D("5.00"),
            D("5.00"),
        )
    ]
    assert note.lines.get().kind == LineKind.NORMAL


@time_machine.travel(RUN_AT, tick=False)
def test_the_next_invoice_continues_the_same_numbering(invoice, meals, agent, meal, regie):
    credit_note(invoice=invoice, lines=[(meals, 1)], reason="Erreur", by=agent)
    late = make_family("PETIT", "Zoé", qf="300")
    book(late.children.get(), meal, [nov(2)])

    issue_invoices(month=NOVEMBER)

    assert Invoice.objects.get(family=late).number == "F2026000003"
    assert InvoiceCounter.objects.get(regie=regie, year=2026).last == 3


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"amount": D("5"), "reason": "  "}, "Le motif de l'avoir est obligatoire."),
        ({"amount": D("0"), "reason": "x"}, "Le montant de l'avoir doit être positif."),
        ({"amount": D("21.65"), "reason": "x"}, "dépasse ce qui reste à créditer"),
    ],
)
@time_machine.travel(RUN_AT, tick=False)
def test_refusals_change_nothing(invoice, agent, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        credit_note(invoice=invoice, by=agent, **kwargs)

    assert Invoice.objects.count() == 1
    assert InvoiceCounter.objects.get().last == 1


@time_machine.travel(RUN_AT, tick=False)
def test_a_line_cannot_be_credited_beyond_its_quantity_nor_when_exempt(invoice, meals, agent):
    excused = invoice.lines.get(kind=LineKind.EXEMPT)
    with pytest.raises(ValidationError, match="entre 1 et 4 unité"):
        credit_note(invoice=invoice, lines=[(meals, 5)], reason="x", by=agent)
    with pytest.raises(ValidationError, match="n'a pas été facturé"):
        credit_note(invoice=invoice, lines=[(excused, 1)], reason="x", by=agent)
    assert Invoice.objects.count() == 1


@time_machine.travel(RUN_AT, tick=False)
def test_credit_notes_never_add_up_beyond_the_invoice(invoice, agent):
    credit_note(invoice=invoice, amount=D("20.00"), reason="Erreur", by=agent)
    with pytest.raises(ValidationError) as refused:
        credit_note(invoice=invoice, amount=D("2.00"), reason="Encore", by=agent)
    assert refused.value.messages == [
        "L'avoir (2,00\u00a0€) dépasse ce qui reste à créditer sur la facture F2026000001 "
        "(1,64\u00a0€)."
    ]
    last = credit_note(invoice=invoice, amount=D("1.64"), reason="Solde", by=agent)
    assert last.number == "F2026000003"


@time_machine.travel(RUN_AT, tick=False)
def test_a_credit_note_is_not_credited(invoice, agent):
    note = credit_note(invoice=invoice, amount=D("1"), reason="Erreur", by=agent)
    with pytest.raises(ValidationError, match="pas sur un avoir"):
        credit_note(invoice=note, amount=D("1"), reason="x", by=agent)


@time_machine.travel(RUN_AT, tick=False)
def test_a_line_of_another_invoice_is_refused(invoice, agent, other_family, meal):
    book(other_family.children.get(), meal, [nov(2)])
    issue_invoices(month=NOVEMBER)
    other_line = Invoice.objects.get(family=other_family).lines.get()
    with pytest.raises(ValidationError, match="n'est pas sur la facture F2026000001"):
        credit_note(invoice=invoice, lines=[(other_line, 1)], reason="x", by=agent)


@pytest.mark.django_db(transaction=True)
def test_two_credit_notes_at_once_cannot_exceed_the_invoice(invoice, agent):
    def attempt():
        try:
            return credit_note(invoice=invoice, amount=D("15.00"), reason="Erreur", by=agent)
        except ValidationError:
            return None

    with time_machine.travel(RUN_AT, tick=False):
        results = run_together([attempt, attempt])

    notes = [r for r in results if r is not None]
    assert len(notes) == 1
    assert notes[0].number == "F2026000002"
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1
    assert InvoiceCounter.objects.get().last == 2
