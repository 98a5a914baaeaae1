"""The invoice run, checked against amounts worked out by hand.

Tariffs (tests/billing/conftest.py): the meal costs 1,00 (QF ≤ 450), 2,35 (≤ 700),
3,40 (≤ 1000) or 4,60 (above, or no valid QF); the PAI packed meal 1,50; a late booking
+1,00; present without booking +50 %; a late cancellation 100 %. The ALSH day is
QF × 0,02 between 5,00 and 18,00. The evening garderie (régie « G ») is 0,80 flat.
"""

from datetime import date
from decimal import Decimal as D

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Guardian
from billing.invoicing import draft, issue, issue_invoices
from billing.models import (
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    Regie,
    RegieActivity,
    Tariff,
    TariffBracket,
    TariffMode,
)
from messaging.models import Kind, Message
from reservations.models import Activity, Closure, Pattern, Status, Unit
from tests.billing.invoicing import (
    NOVEMBER,
    RUN_AT,
    book,
    draft_lines,
    give_pai,
    lines_of,
    make_family,
    nov,
    with_qf,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def evening(j2_10h, school_year) -> Unit:
    """A second régie: the evening garderie, billed by « Régie garderie » (code G)."""
    activity = Activity.objects.create(
        name="Garderie soir",
        pattern=Pattern.SCHOOL_DAYS,
        booking_rule=j2_10h,
        cancel_rule=j2_10h,
        position=5,
    )
    unit = Unit.objects.create(activity=activity, name="Soir")
    regie = Regie.objects.create(name="Régie garderie", code="G", payee="Régie garderie")
    RegieActivity.objects.create(regie=regie, activity=activity)
    tariff = Tariff.objects.create(unit=unit, valid_from=date(2026, 9, 1), mode=TariffMode.BRACKETS)
    TariffBracket.objects.create(tariff=tariff, qf_max=None, price=D("0.80"))
    return unit


@pytest.fixture
def month(family, other_family, regie, meal, alsh_day, meal_tariff, alsh_tariff, evening):
    """November 2026 with every kind of line."""
    lea, hugo = family.children.order_by("birth_date")
    family = with_qf(family, "450")  # the edge of « cantine à 1 € »: a bound is in its bracket
    give_pai(lea)
    book(lea, meal, [nov(2), nov(3), nov(5)])
    book(lea, meal, [nov(6)], unbooked=True)  # present without booking
    book(lea, meal, [nov(13)], status=Status.BOOKED)  # the strike day, left booked
    book(hugo, meal, [nov(2), nov(3)])
    book(hugo, meal, [nov(5)], status=Status.ABSENT)  # absent, not excused: billed
    book(hugo, meal, [nov(6)], status=Status.EXCUSED)  # medical absence accepted
    book(hugo, meal, [nov(9)], status=Status.LATE_CANCELLED)
    book(hugo, meal, [nov(10)], status=Status.BOOKED, after_deadline=True)
    book(hugo, meal, [nov(12)], status=Status.CANCELLED)  # cancelled in time: nothing
    book(hugo, meal, [nov(13)], status=Status.CANCELLED)  # cancelled for the strike
    book(hugo, alsh_day, [nov(4), nov(18)])
    book(hugo, evening, [nov(2), nov(3)])
    Closure.objects.create(activity=meal.activity, start=nov(13), end=nov(13), reason="Grève")

    ines = other_family.children.get()  # DURAND: no quotient at all
    book(ines, meal, [nov(2), nov(3)])
    book(ines, alsh_day, [nov(4)])

    above = make_family("PETIT", "Zoé", qf="450.01")  # just above the first bracket
    book(above.children.get(), meal, [nov(2)])
    expiring = make_family("BLANC", "Noé", qf="1000", until=nov(15))  # QF ends mid-month
    book(expiring.children.get(), meal, [nov(2), nov(16), nov(17)])
    excused_only = make_family("NOIR", "Léo", qf="300")
    book(excused_only.children.get(), meal, [nov(2)], status=Status.EXCUSED)
    return {"martin": family, "durand": other_family, "petit": above, "blanc": expiring}


def by_family(drafts):
    return {(d.family.name, d.regie.code): d for d in drafts}


def test_a_month_with_every_kind_of_line_costs_what_was_worked_out_by_hand(month):
    drafts = by_family(draft(month=NOVEMBER))

    meal_450 = "Repas (QF ≤ 450)"
    assert draft_lines(drafts["MARTIN", "F"]) == [
        # Léa (born 2017, the elder first) has a PAI: packed meal 1,50 × 4 = 6,00
        ("Léa MARTIN", "Repas (panier-repas PAI)", [nov(2), nov(3), nov(5), nov(6)], 4,
         D("1.50"), D("6.00")),
        # present without booking: 50 % of 1,50 = 0,75
        ("Léa MARTIN", "Repas — présence sans réservation", [nov(6)], 1, D("0.75"), D("0.75")),
        ("Léa MARTIN", "Repas — fermeture (Grève), non facturé", [nov(13)], 1, D("0"),
         D("0")),
        # Hugo: QF 450 → 1,00; the absent day and the late booking are billed: 4 × 1,00
        ("Hugo MARTIN", meal_450, [nov(2), nov(3), nov(5), nov(10)], 4, D("1.00"), D("4.00")),
        ("Hugo MARTIN", "Repas — annulation hors délai", [nov(9)], 1, D("1.00"), D("1.00")),
        ("Hugo MARTIN", "Repas — réservation hors délai", [nov(10)], 1, D("1.00"), D("1.00")),
        ("Hugo MARTIN", "Repas — absence justifiée, non facturé", [nov(6)], 1, D("0"), D("0")),
        ("Hugo MARTIN", "Repas — fermeture (Grève), non facturé", [nov(13)], 1, D("0"), D("0")),
        # ALSH: 450 × 0,02 = 9,00 a day
        ("Hugo MARTIN", "Journée avec repas (QF 450 × taux d'effort)", [nov(4), nov(18)], 2,
         D("9.00"), D("18.00")),
    ]  # fmt: skip
    assert drafts["MARTIN", "F"].total == D("30.75")  # 6,00 + 0,75 + 4,00 + 1,00 + 1,00 + 18,00
    # The garderie is another régie: another invoice, 2 × 0,80.
    assert draft_lines(drafts["MARTIN", "G"]) == [
        ("Hugo MARTIN", "Soir (dernière tranche)", [nov(2), nov(3)], 2, D("0.80"), D("1.60"))
    ]
    # No QF: the top bracket, and the ALSH maximum.
    assert draft_lines(drafts["DURAND", "F"]) == [
        ("Inès DURAND", "Repas (sans QF valide : dernière tranche)", [nov(2), nov(3)], 2,
         D("4.60"), D("9.20")),
        ("Inès DURAND", "Journée avec repas (sans QF valide : prix maximum)", [nov(4)], 1,
         D("18.00"), D("18.00")),
    ]  # fmt: skip
    assert drafts["DURAND", "F"].total == D("27.20")
    assert draft_lines(drafts["PETIT", "F"]) == [
        ("Zoé PETIT", "Repas (QF ≤ 700)", [nov(2)], 1, D("2.35"), D("2.35"))
    ]
    # The QF expires on 15 November: two prices in one month.
    assert draft_lines(drafts["BLANC", "F"]) == [
        ("Noé BLANC", "Repas (QF ≤ 1000)", [nov(2)], 1, D("3.40"), D("3.40")),
        ("Noé BLANC", "Repas (sans QF valide : dernière tranche)", [nov(16), nov(17)], 2,
         D("4.60"), D("9.20")),
    ]  # fmt: skip
    # NOIR's only day was excused: nothing to pay, no invoice.
    assert sorted(drafts) == [
        ("BLANC", "F"),
        ("DURAND", "F"),
        ("MARTIN", "F"),
        ("MARTIN", "G"),
        ("PETIT", "F"),
    ]
    assert all(isinstance(line.amount, D) for d in drafts.values() for line in d.lines)


def test_a_draft_saves_nothing(month):
    draft(month=NOVEMBER)
    assert not Invoice.objects.exists()
    assert not InvoiceCounter.objects.exists()


def test_a_draft_can_be_limited_to_some_families(month):
    drafts = draft(month=NOVEMBER, family_ids=[month["durand"].pk])
    assert [(d.family.name, d.total) for d in drafts] == [("DURAND", D("27.20"))]


@time_machine.travel(RUN_AT, tick=False)
def test_issue_writes_what_the_draft_showed_numbered_per_regie(month):
    drafts = by_family(draft(month=NOVEMBER))

    report = issue_invoices(month=NOVEMBER)

    assert (report.issued, report.total) == (5, D("30.75") + D("1.60") + D("27.20") + D("2.35")
                                             + D("12.60"))  # fmt: skip
    invoices = {(i.family.name, i.regie.code): i for i in Invoice.objects.all()}
    assert sorted(invoices) == sorted(drafts)
    for key, invoice in invoices.items():
        assert lines_of(invoice) == draft_lines(drafts[key])
        assert invoice.total == drafts[key].total
    # Per régie and year, from 1, in the order of the families' names.
    assert sorted((i.number, i.family.name) for i in invoices.values()) == [
        ("F2026000001", "BLANC"),
        ("F2026000002", "DURAND"),
        ("F2026000003", "MARTIN"),
        ("F2026000004", "PETIT"),
        ("G2026000001", "MARTIN"),
    ]
    martin = invoices["MARTIN", "F"]
    assert (martin.period, martin.year, martin.sequence, martin.kind) == (
        NOVEMBER,
        2026,
        3,
        InvoiceKind.INVOICE,
    )
    assert martin.due_date == date(2026, 12, 31)  # issued 1 December + 30 days
    assert martin.issued_at == RUN_AT


@time_machine.travel(RUN_AT, tick=False)
def test_the_payer_is_frozen_on_the_invoice(month):
    martin = month["martin"]
    claire = Guardian.objects.create(
        family=martin, first_name="Claire", last_name="MARTIN", relationship="mother"
    )
    martin.billing_guardian = claire
    martin.save()

    issue_invoices(month=NOVEMBER)
    martin.address_line1 = "99 avenue Nouvelle"
    martin.save()
    claire.last_name = "DUPONT"
    claire.save()

    invoice = Invoice.objects.get(family=martin, regie__code="F")
    assert invoice.payer_name == "Claire MARTIN"
    assert invoice.payer_address == "12 rue des Tilleuls\n45000 Valmont"  # as it was
    durand = Invoice.objects.get(family=month["durand"])
    assert durand.payer_name == "Famille DURAND"  # no billing guardian: the family


@time_machine.travel(RUN_AT, tick=False)
def test_running_twice_changes_nothing(month):
    issue_invoices(month=NOVEMBER)
    before = list(Invoice.objects.order_by("pk").values_list("pk", "number", "total"))

    again = issue_invoices(month=NOVEMBER)

    assert (again.issued, again.already) == (0, 5)
    assert list(Invoice.objects.order_by("pk").values_list("pk", "number", "total")) == before
    assert InvoiceCounter.objects.get(regie__code="F").last == 4


@time_machine.travel(RUN_AT, tick=False)
def test_a_booking_changed_after_issue_does_not_change_the_invoice(month, meal):
    issue_invoices(month=NOVEMBER)
    durand = Invoice.objects.get(family=month["durand"])
    ines = month["durand"].children.get()
    book(ines, meal, [nov(20)])

    issue_invoices(month=NOVEMBER)

    durand.refresh_from_db()
    assert durand.total == D("27.20")
    assert durand.lines.count() == 2


@time_machine.travel(RUN_AT, tick=False)
def test_a_unit_without_tariff_is_reported_not_billed(month, meal_tariff):
    meal_tariff.valid_from = nov(10)
    meal_tariff.save()

    report = issue_invoices(month=NOVEMBER)

    assert report.untariffed == ["Restauration scolaire — Repas"]
    petit = draft(month=NOVEMBER, family_ids=[month["petit"].pk])
    assert petit == []  # its only meal (2 November) had no tariff


@time_machine.travel(RUN_AT, tick=False)
def test_the_whole_run_makes_the_pdfs_and_tells_each_family_once(month):
    report = issue(month=NOVEMBER)

    assert (report.issued, report.pdfs, report.notified) == (5, 5, 5)
    assert not Invoice.objects.filter(pdf="").exists()
    assert not Invoice.objects.filter(notified_at__isnull=True).exists()
    message = Message.objects.get(recipient=month["durand"], kind=Kind.INVOICE)
    invoice = Invoice.objects.get(family=month["durand"])
    assert message.subject == "Votre facture de novembre 2026 : 27,20\u00a0€"
    assert "F2026000002" in message.body
    assert "avant le 31 décembre 2026" in message.body
    assert message.link_url == f"/factures/{invoice.pk}/"
    assert Message.objects.filter(recipient=month["martin"], kind=Kind.INVOICE).count() == 2

    again = issue(month=NOVEMBER)

    assert (again.issued, again.pdfs, again.notified) == (0, 0, 0)
    assert Message.objects.filter(kind=Kind.INVOICE).count() == 5


@time_machine.travel(RUN_AT, tick=False)
def test_an_interrupted_run_is_finished_by_the_next(month):
    issue_invoices(month=NOVEMBER)  # as if the PDFs had failed: numbers and lines only

    report = issue(month=NOVEMBER)

    assert (report.issued, report.pdfs, report.notified) == (0, 5, 5)


# --- queries ---------------------------------------------------------------------------

OCTOBER = date(2026, 10, 1)


def families_booked(month: date, n: int, meal, alsh_day, *, children: int, days: int):
    for i in range(n):
        names = [f"E{c}" for c in range(children)]
        family = make_family(f"{month:%m}-{n}-{children}-{i:02d}", *names, qf="600")
        family.email = f"f{family.pk}@example.org"
        family.save()
        for child in family.children.all():
            if i % 2:
                give_pai(child)
            book(child, meal, [month.replace(day=d) for d in range(2, 2 + days)])
            book(child, alsh_day, [month.replace(day=28)], status=Status.ABSENT)


def count_queries(action) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


@pytest.fixture
def counted(regie, meal, alsh_day, meal_tariff, alsh_tariff):
    InvoiceCounter.objects.create(regie=regie, year=2026)  # so that no run creates it


@time_machine.travel(RUN_AT, tick=False)
def test_issuing_costs_the_same_queries_whatever_the_children_and_bookings(counted, meal, alsh_day):
    families_booked(OCTOBER, 3, meal, alsh_day, children=1, days=1)
    families_booked(NOVEMBER, 3, meal, alsh_day, children=3, days=20)

    few = count_queries(lambda: issue_invoices(month=OCTOBER))
    many = count_queries(lambda: issue_invoices(month=NOVEMBER))

    assert Invoice.objects.filter(period=NOVEMBER).count() == 3
    assert many == few


@time_machine.travel(RUN_AT, tick=False)
def test_issuing_costs_the_same_queries_for_2_or_6_families(counted, meal, alsh_day):
    families_booked(OCTOBER, 2, meal, alsh_day, children=2, days=5)
    families_booked(NOVEMBER, 6, meal, alsh_day, children=2, days=5)

    two = count_queries(lambda: issue_invoices(month=OCTOBER))
    six = count_queries(lambda: issue_invoices(month=NOVEMBER))

    # Invoices and lines are written by chunks of up to CHUNK families, not one by one.
    assert Invoice.objects.filter(period=NOVEMBER).count() == 6
    assert six == two


@time_machine.travel(RUN_AT, tick=False)
def test_the_whole_run_with_pdfs_and_messages_costs_the_same_for_any_family_size(
    counted, meal, alsh_day
):
    families_booked(OCTOBER, 2, meal, alsh_day, children=1, days=1)
    families_booked(NOVEMBER, 2, meal, alsh_day, children=3, days=20)

    few = count_queries(lambda: issue(month=OCTOBER, workers=1))
    many = count_queries(lambda: issue(month=NOVEMBER, workers=1))

    assert not Invoice.objects.filter(notified_at__isnull=True).exists()
    assert many == few
