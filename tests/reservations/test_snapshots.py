"""A snapshot of shared tables is read again exactly when their rows change."""

from datetime import date

import pytest

from reservations.models import Closure, SchoolYear
from reservations.snapshots import Snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def snapshot():
    loads = []

    def load():
        loads.append(1)
        return sorted(Closure.objects.values_list("reason", flat=True))

    snap = Snapshot(models=[SchoolYear, Closure], load=load)
    snap.loads = loads
    return snap


def test_it_loads_once_while_the_tables_are_unchanged(snapshot, django_assert_num_queries):
    Closure.objects.create(start=date(2026, 12, 11), end=date(2026, 12, 11), reason="Grève")
    assert snapshot.get() == ["Grève"]
    with django_assert_num_queries(1):  # the digest, nothing else
        assert snapshot.get() == ["Grève"]
    assert len(snapshot.loads) == 1


def test_it_loads_again_after_an_insert_an_update_or_a_delete(snapshot):
    assert snapshot.get() == []
    closure = Closure.objects.create(start=date(2026, 12, 11), end=date(2026, 12, 11), reason="A")
    assert snapshot.get() == ["A"]
    Closure.objects.filter(pk=closure.pk).update(end=date(2026, 12, 12))
    snapshot.get()
    closure.delete()
    assert snapshot.get() == []
    assert len(snapshot.loads) == 4


def test_a_change_in_any_of_its_tables_counts(snapshot):
    snapshot.get()
    SchoolYear.objects.create(name="2030-2031", start=date(2030, 9, 1), end=date(2031, 7, 4))
    snapshot.get()
    assert len(snapshot.loads) == 2
