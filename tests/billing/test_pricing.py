"""One pricing function, checked against amounts worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import LineKind
from billing.pricing import Tariffs, base_price, booking_price, charges
from reservations.models import Booking, Status

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 5)


def with_qf(family, qf, *, until=date(2027, 8, 31)):
    family.quotient = Decimal(qf) if qf is not None else None
    family.quotient_valid_from = date(2026, 1, 1)
    family.quotient_valid_until = until
    return family


@pytest.mark.parametrize(
    ("qf", "price", "how"),
    [
        ("300", "1.00", "QF ≤ 450"),  # « cantine à 1 € »
        ("450", "1.00", "QF ≤ 450"),  # a bound belongs to its bracket
        ("450.01", "2.35", "QF ≤ 700"),
        ("1000", "3.40", "QF ≤ 1000"),
        ("1000.01", "4.60", "dernière tranche"),
        (None, "4.60", "sans QF valide : dernière tranche"),
    ],
)
def test_brackets_and_their_edges(family, meal_tariff, qf, price, how):
    assert base_price(meal_tariff, with_qf(family, qf), DAY) == (Decimal(price), how)


def test_an_expired_qf_pays_the_top_bracket(family, meal_tariff):
    family = with_qf(family, "300", until=date(2026, 10, 31))
    assert base_price(meal_tariff, family, DAY)[0] == Decimal("4.60")


def test_out_of_commune_families_pay_their_own_price(family, meal_tariff):
    family = with_qf(family, "300")
    family.out_of_commune = True
    assert base_price(meal_tariff, family, DAY) == (Decimal("6.20"), "tarif hors commune")


@pytest.mark.parametrize(
    ("qf", "price"),
    [("612", "12.24"), ("100", "5.00"), ("2000", "18.00"), (None, "18.00"), ("612.25", "12.25")],
)
def test_effort_rate_is_bounded_and_rounded_half_up(family, alsh_tariff, qf, price):
    assert base_price(alsh_tariff, with_qf(family, qf), DAY)[0] == Decimal(price)


def booking(child, unit, **fields):
    return Booking(child=child, unit=unit, activity=unit.activity, day=DAY, **fields)


def test_each_status_and_flag_costs_what_the_tariff_says(enrolled, meal, family, meal_tariff):
    family = with_qf(family, "600")  # 2,35 €
    lea = enrolled[0]

    def total(**fields):
        return booking_price(
            booking(lea, meal, **fields), family=family, tariff=meal_tariff, pai=False
        )

    assert total(status=Status.BOOKED) == Decimal("2.35")
    assert total(status=Status.PRESENT) == Decimal("2.35")
    assert total(status=Status.ABSENT) == Decimal("2.35")  # booked and not excused
    assert total(status=Status.EXCUSED) == Decimal("0.00")  # medical certificate accepted
    assert total(status=Status.CANCELLED) == Decimal("0.00")
    assert total(status=Status.WAITING) == Decimal("0.00")
    assert total(status=Status.LATE_CANCELLED) == Decimal("2.35")  # 100 %
    assert total(status=Status.PRESENT, unbooked=True) == Decimal(
        "3.53"
    )  # 2,35 + 50 % (1,175→1,18)
    assert total(status=Status.BOOKED, after_deadline=True) == Decimal("3.35")  # + 1 € fixed


def test_a_pai_child_pays_the_packed_meal_price(enrolled, meal, family, meal_tariff):
    family = with_qf(family, "600")
    [charge] = charges(
        booking(enrolled[0], meal, status=Status.BOOKED),
        family=family,
        tariff=meal_tariff,
        pai=True,
    )
    assert (charge.kind, charge.unit_price) == (LineKind.PAI, Decimal("1.50"))


def test_a_unit_without_tariff_has_no_price(enrolled, alsh_day, family):
    assert (
        booking_price(
            booking(enrolled[0], alsh_day, status=Status.BOOKED),
            family=family,
            tariff=None,
            pai=False,
        )
        is None
    )


def test_tariffs_are_found_by_date(meal, meal_tariff, django_assert_num_queries):
    from billing.models import Tariff

    later = Tariff.objects.create(unit=meal, valid_from=date(2027, 1, 1), mode="brackets")
    meal_tariff.valid_until = date(2026, 12, 31)
    meal_tariff.save()
    with django_assert_num_queries(2):  # tariffs, then their brackets
        tariffs = Tariffs.load(unit_ids=[meal.pk], start=date(2026, 9, 1), end=date(2027, 6, 30))
    assert tariffs.for_(meal.pk, date(2026, 12, 31)) == meal_tariff
    assert tariffs.for_(meal.pk, date(2027, 1, 4)) == later
    assert tariffs.for_(meal.pk, date(2026, 8, 31)) is None
