"""Shared set-up of the invoice-run tests: families with a quotient, bookings written
directly with the status attendance left them in."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.models import Family
from children.models import Child, Health
from reservations.models import Booking, Status
from tests.portail.locks import lock_held_elsewhere  # noqa: F401 — the billing tests' import

PARIS = ZoneInfo("Europe/Paris")
NOVEMBER = date(2026, 11, 1)
RUN_AT = datetime(2026, 12, 1, 6, 0, tzinfo=PARIS)


def nov(day: int) -> date:
    return date(2026, 11, day)


def with_qf(family: Family, qf: str | None, *, until: date = date(2027, 8, 31)) -> Family:
    family.quotient = Decimal(qf) if qf is not None else None
    family.quotient_valid_from = date(2026, 9, 1)
    family.quotient_valid_until = until
    family.save()
    return family


def make_family(
    name: str, *children: str, qf: str | None = None, until: date = date(2027, 8, 31)
) -> Family:
    family = Family.objects.create(
        name=name,
        address_line1=f"1 rue {name.title()}",
        postal_code="45000",
        city="Valmont",
    )
    for position, first_name in enumerate(children):
        Child.objects.create(
            family=family,
            first_name=first_name,
            last_name=name,
            birth_date=date(2016 + position, 1, 1),
        )
    return with_qf(family, qf, until=until)


def give_pai(child: Child) -> None:
    Health.objects.update_or_create(child=child, defaults={"pai": True})


def book(child, unit, days, status=Status.PRESENT, **fields) -> list[Booking]:
    return Booking.objects.bulk_create(
        Booking(child=child, unit=unit, activity=unit.activity, day=day, status=status, **fields)
        for day in days
    )


def lines_of(invoice) -> list[tuple]:
    return [
        (line.child_name, line.description, line.days, line.quantity, line.unit_price, line.amount)
        for line in invoice.lines.order_by("position")
    ]


def draft_lines(item) -> list[tuple]:
    return [
        (line.child_name, line.description, line.days, line.quantity, line.unit_price, line.amount)
        for line in item.lines
    ]
