"""Shared by the staff-side tests: a day of canteen, accounting staff, children in bulk."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import Family, User
from children.models import Child, Diet, Health
from reservations.models import Booking, Status
from tests.conftest import PASSWORD
from tests.reservations.conftest import enrol

PARIS = ZoneInfo("Europe/Paris")
# Thursday 3 December 2026, a school day of the 2026-2027 school year (zone B).
THURSDAY = date(2026, 12, 3)
THURSDAY_9H = datetime(2026, 12, 3, 9, 0, tzinfo=PARIS)


def book_directly(child, unit, day, status=Status.BOOKED, **fields) -> Booking:
    return Booking.objects.create(
        child=child, activity=unit.activity, unit=unit, day=day, status=status, **fields
    )


def make_children(count: int, *, school, prefix: str = "F") -> list[Child]:
    """`count` children, two per family, every third with health data."""
    children = []
    for i in range(count):
        if i % 2 == 0:
            family = Family.objects.create(name=f"{prefix}{i:03d}")
        child = Child.objects.create(
            family=family,
            first_name=f"Enfant{i:03d}",
            last_name=family.name,
            birth_date=date(2018, 1, 1),
            school=school,
            school_class="CP" if i % 2 else "CE1",
        )
        if i % 3 == 0:
            Health.objects.create(child=child, diets=[Diet.NO_PORK], allergies="Kiwi", pai=True)
        children.append(child)
    return children


def bulk_booked(children, unit, day, *, year) -> None:
    enrol(children, unit.activity, year=year)
    Booking.objects.bulk_create(
        Booking(child=c, activity=unit.activity, unit=unit, day=day, status=Status.BOOKED)
        for c in children
    )


@pytest.fixture
def accountant(reference_data) -> User:
    user = User(username="compta", is_staff=True, first_name="Marc", last_name="Petit")
    user.set_chosen_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="Comptabilité"))
    return user


@pytest.fixture
def accountant_client(accountant) -> Client:
    client = Client()
    client.force_login(accountant)
    return client
