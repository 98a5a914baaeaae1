"""The broadcast audience « Une activité »: families with a validated enrolment this year."""

from datetime import date

import pytest
import time_machine

from accounts.models import Family
from children.models import Child
from messaging import audiences
from messaging.broadcasts import send_broadcast
from messaging.models import Message, News
from reservations.models import EnrolmentStatus, SchoolYear
from tests.reservations.conftest import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _during_the_school_year():
    with time_machine.travel(date(2026, 12, 1), tick=False):
        yield


@pytest.fixture
def canteen_families(family, other_family, canteen, alsh, school_year):
    """MARTIN (two children) eats at the canteen; DURAND only asked; a family enrolled
    last year only; a refused one."""
    enrol(family.children.all(), canteen, alsh, year=school_year)
    enrol(other_family.children.all(), canteen, year=school_year, status=EnrolmentStatus.REQUESTED)
    last_year = SchoolYear.objects.create(
        name="2025-2026", start=date(2025, 9, 1), end=date(2026, 8, 31)
    )
    former = Family.objects.create(name="ANCIENNE")
    child = Child.objects.create(
        family=former, first_name="Noé", last_name="ANCIENNE", birth_date=date(2015, 1, 1)
    )
    enrol([child], canteen, year=last_year)
    refused = Family.objects.create(name="REFUSEE")
    child = Child.objects.create(
        family=refused, first_name="Lou", last_name="REFUSEE", birth_date=date(2016, 1, 1)
    )
    enrol([child], canteen, year=school_year, status=EnrolmentStatus.REFUSED)
    return family


def test_the_activity_audience_is_registered_with_the_others():
    keys = [audience.key for audience in audiences.registered()]
    assert {"all", "school", "class", "activity"} <= set(keys)


def test_staff_pick_an_activity_by_its_name(canteen, alsh):
    assert list(audiences.get("activity").choices()) == [  # in the activities' order
        (str(alsh.pk), "ALSH vacances"),
        (str(canteen.pk), "Restauration scolaire"),
    ]
    assert audiences.describe("activity", str(canteen.pk)) == (
        "Une activité : Restauration scolaire"
    )


def test_only_families_validated_this_year_are_reached_each_once(canteen_families, canteen):
    assert list(audiences.recipients("activity", str(canteen.pk))) == [canteen_families.pk]
    assert list(audiences.recipients("activity", "pas-un-nombre")) == []


def test_a_family_sees_what_is_published_for_its_activities(
    canteen_families, other_family, canteen, alsh
):
    assert sorted(audiences.get("activity").values_for(canteen_families.pk)) == sorted(
        [str(canteen.pk), str(alsh.pk)]
    )
    assert list(audiences.get("activity").values_for(other_family.pk)) == []
    News.objects.create(
        title="Menus de décembre", body="…", audience_kind="activity", audience_value=canteen.pk
    )
    assert News.objects.filter(audiences.visible_to(canteen_families.pk)).count() == 1
    assert News.objects.filter(audiences.visible_to(other_family.pk)).count() == 0


def test_a_broadcast_to_an_activity_reaches_its_families(canteen_families, canteen, agent):
    broadcast = send_broadcast(
        subject="Menus de décembre",
        body="Les menus sont en ligne.",
        audience_kind="activity",
        audience_value=str(canteen.pk),
        sender="La mairie",
        by=agent,
    )

    assert broadcast.audience_label == "Une activité : Restauration scolaire"
    assert [m.recipient.name for m in Message.objects.all()] == ["MARTIN"]


def test_outside_any_school_year_nobody_is_reached(canteen_families, canteen):
    with time_machine.travel(date(2030, 1, 1), tick=False):
        assert list(audiences.recipients("activity", str(canteen.pk))) == []
