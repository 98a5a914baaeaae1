"""The last places of a day, fought over by 30 parents at once, on PostgreSQL."""

import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from accounts.models import Family
from children.models import Child
from reservations.models import Booking, DayCount, Status
from reservations.services import book
from tests.reservations.conftest import enrol

PARIS = ZoneInfo("Europe/Paris")
AT = datetime(2026, 11, 30, 8, 30, tzinfo=PARIS)
DAY = date(2026, 12, 21)


def run_together(targets):
    start = threading.Barrier(len(targets))
    results, errors = [], []

    def run(target):
        start.wait()
        try:
            results.append(target())
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_thirty_parents_for_the_last_five_places(alsh, alsh_day, school_year, parent):
    families = [Family.objects.create(name=f"F{i}") for i in range(30)]
    children = [
        Child.objects.create(
            family=f, first_name="E", last_name=f.name, birth_date=date(2018, 1, 1)
        )
        for f in families
    ]
    enrol(children, alsh, year=school_year)
    results = run_together(
        [lambda c=c: book(items=[(c, alsh_day, DAY)], by=parent, at=AT)[0] for c in children]
    )
    assert sorted(o.status for o in results).count(Status.BOOKED) == 5
    assert Booking.objects.filter(status=Status.BOOKED).count() == 5
    assert Booking.objects.filter(status=Status.WAITING).count() == 25
    assert DayCount.objects.get(unit=alsh_day, day=DAY).booked == 5
    positions = sorted(o.message for o in results if o.status == Status.WAITING)
    assert len(set(positions)) == 25  # every waiting parent got a distinct position


@pytest.mark.django_db(transaction=True)
def test_the_same_form_submitted_twice_at_once_books_once(enrolled, meal, parent):
    lea = enrolled[0]
    day = date(2026, 12, 3)
    results = run_together(
        [lambda: book(items=[(lea, meal, day)], by=parent, at=AT)[0] for _ in range(2)]
    )
    assert sorted(o.message for o in results) == ["Déjà réservé", "Réservé"]
    assert Booking.objects.count() == 1
