"""A commune in zone B, school year 2026-2027, with a canteen and an ALSH for holidays."""

from datetime import date, time

import pytest

from reservations.models import (
    Activity,
    DeadlineRule,
    Enrolment,
    EnrolmentStatus,
    Pattern,
    RuleKind,
    SchoolYear,
    Unit,
)


@pytest.fixture
def school_year(db) -> SchoolYear:
    return SchoolYear.objects.create(
        name="2026-2027", start=date(2026, 9, 1), end=date(2027, 8, 31)
    )


@pytest.fixture
def j2_10h(db) -> DeadlineRule:
    return DeadlineRule.objects.create(
        name="J-2 avant 10h", kind=RuleKind.DAYS_BEFORE, days=2, time=time(10, 0)
    )


@pytest.fixture
def canteen(school_year, j2_10h) -> Activity:
    return Activity.objects.create(
        name="Restauration scolaire",
        pattern=Pattern.SCHOOL_DAYS,
        booking_rule=j2_10h,
        cancel_rule=j2_10h,
    )


@pytest.fixture
def meal(canteen) -> Unit:
    return Unit.objects.create(activity=canteen, name="Repas", includes_meal=True)


@pytest.fixture
def alsh(school_year, j2_10h) -> Activity:
    return Activity.objects.create(
        name="ALSH vacances", pattern=Pattern.HOLIDAYS, booking_rule=j2_10h, cancel_rule=j2_10h
    )


@pytest.fixture
def alsh_day(alsh) -> Unit:
    return Unit.objects.create(
        activity=alsh, name="Journée avec repas", capacity=5, includes_meal=True
    )


def enrol(children, *activities, year, status=EnrolmentStatus.VALIDATED):
    for child in children:
        for activity in activities:
            Enrolment.objects.create(
                child=child, activity=activity, school_year=year, status=status
            )


@pytest.fixture
def enrolled(family, canteen, alsh, school_year):
    children = list(family.children.all())
    enrol(children, canteen, alsh, year=school_year)
    return children
