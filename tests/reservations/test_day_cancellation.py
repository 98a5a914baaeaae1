"""« Annuler une journée pour tous »: a strike day, every booking cancelled, families told once."""

import threading
from datetime import date, datetime

import pytest
import time_machine
from django.db import connections
from django.utils.html import strip_tags

from accounts.models import Family
from children.models import Child
from messaging.models import Kind, Message
from reservations.day_cancellation import cancel_day
from reservations.models import Booking, Closure, DayCount, Status
from reservations.services import book
from tests.helpers import page_text
from tests.reservations import staff as reservations_staff
from tests.reservations.conftest import enrol
from tests.reservations.staff import PARIS, THURSDAY, THURSDAY_9H, book_directly

accountant = reservations_staff.accountant
accountant_client = reservations_staff.accountant_client

URL = "/admin/reservations/booking/annuler-une-journee/"
MONDAY_BEFORE = datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)
HOLIDAY = date(2026, 12, 21)  # Monday, vacances de Noël (ALSH)


@pytest.fixture
def strike_day(enrolled, other_family, canteen, alsh, meal, alsh_day, school_year):
    """MARTIN (Léa, Hugo) and DURAND (Inès) eat at the canteen on Thursday; Léa is also
    on the ALSH list another day; a third family waits for the ALSH on the strike day."""
    lea, hugo = enrolled
    ines = other_family.children.get()
    enrol([ines], canteen, alsh, year=school_year)
    for child in (lea, hugo, ines):
        book_directly(child, meal, THURSDAY)
    book_directly(lea, meal, date(2026, 12, 4))  # Friday: untouched
    return {"lea": lea, "hugo": hugo, "ines": ines}


def messages_by_family() -> dict[str, list[Message]]:
    found: dict[str, list[Message]] = {}
    for message in Message.objects.select_related("recipient"):
        found.setdefault(message.recipient.name, []).append(message)
    return found


@pytest.mark.django_db
def test_every_booking_of_the_day_is_cancelled_and_each_family_told_once(
    strike_day, canteen, agent, family, other_family
):
    result = cancel_day(day=THURSDAY, activity=canteen, reason="Grève", by=agent, at=THURSDAY_9H)

    assert (result.cancelled, result.families, result.closure_created) == (3, 2, True)
    on_the_day = Booking.objects.filter(day=THURSDAY)
    assert {b.status for b in on_the_day} == {Status.CANCELLED}  # never « hors délai »: not billed
    assert {b.cancelled_by for b in on_the_day} == {agent}
    assert Booking.objects.get(day=date(2026, 12, 4)).status == Status.BOOKED
    closure = Closure.objects.get()
    assert (closure.activity, closure.start, closure.end, closure.reason) == (
        canteen,
        THURSDAY,
        THURSDAY,
        "Grève",
    )

    sent = messages_by_family()
    assert sorted(sent) == ["DURAND", "MARTIN"] and all(len(m) == 1 for m in sent.values())
    martin = sent["MARTIN"][0]
    assert martin.kind == Kind.CANCELLATION
    assert martin.subject == "Annulation du 3 décembre : Restauration scolaire"
    assert "jeudi 3 décembre 2026 n'a pas lieu (motif : Grève)" in martin.body
    assert "ne vous seront pas facturées" in martin.body
    assert "- Hugo : Restauration scolaire — Repas" in martin.body
    assert "- Léa : Restauration scolaire — Repas" in martin.body
    assert "Inès" not in martin.body
    assert martin.link_url == "/reservations/?mois=2026-12"


@pytest.mark.django_db
def test_a_second_run_changes_nothing_and_tells_nobody_again(strike_day, canteen, agent):
    cancel_day(day=THURSDAY, activity=canteen, reason="Grève", by=agent)
    before = list(Booking.objects.values_list("pk", "status", "cancelled_at").order_by("pk"))

    again = cancel_day(day=THURSDAY, activity=canteen, reason="Grève des agents", by=agent)

    assert (again.cancelled, again.families, again.closure_created) == (0, 0, False)
    assert list(Booking.objects.values_list("pk", "status", "cancelled_at").order_by("pk")) == (
        before
    )
    assert Closure.objects.count() == 1 and Closure.objects.get().reason == "Grève"
    assert Message.objects.count() == 2


@pytest.mark.django_db
def test_a_closed_day_frees_its_places_without_promoting_the_waiting_list(
    strike_day, alsh, alsh_day, agent, school, school_year
):
    families = [Family.objects.create(name=f"ATTENTE{i}") for i in range(6)]
    children = [
        Child.objects.create(
            family=f, first_name="Zoé", last_name=f.name, birth_date=date(2018, 5, 1), school=school
        )
        for f in families
    ]
    enrol(children, alsh, year=school_year)
    outcomes = book(items=[(c, alsh_day, HOLIDAY) for c in children], by=agent, at=MONDAY_BEFORE)
    assert [o.status for o in outcomes].count(Status.WAITING) == 1

    with time_machine.travel(MONDAY_BEFORE, tick=False):
        result = cancel_day(day=HOLIDAY, activity=alsh, reason="Fermeture du centre", by=agent)

    assert result.cancelled == 6 and result.families == 6
    assert set(Booking.objects.filter(day=HOLIDAY).values_list("status", flat=True)) == {
        Status.CANCELLED
    }
    assert DayCount.objects.get(unit=alsh_day, day=HOLIDAY).booked == 0
    assert not Message.objects.filter(kind=Kind.WAITLIST).exists()


@pytest.mark.django_db
def test_nobody_can_book_the_closed_day_afterwards(strike_day, canteen, meal, agent, parent):
    cancel_day(day=THURSDAY, activity=canteen, reason="Grève", by=agent)
    [outcome] = book(items=[(strike_day["lea"], meal, THURSDAY)], by=parent, at=MONDAY_BEFORE)
    assert not outcome.done and outcome.message == "Fermé : grève"


@pytest.mark.django_db
def test_every_activity_at_once_when_none_is_chosen(strike_day, alsh, alsh_day, meal, agent):
    book_directly(strike_day["ines"], alsh_day, THURSDAY)  # whatever the activity
    result = cancel_day(day=THURSDAY, activity=None, reason="Fermeture exceptionnelle", by=agent)

    assert result.cancelled == 4 and result.families == 2
    assert Closure.objects.get().activity is None
    durand = Message.objects.get(recipient__name="DURAND")
    assert durand.subject == "Annulation du 3 décembre : ALSH vacances, Restauration scolaire"


@pytest.mark.django_db
def test_a_reason_is_required(strike_day, canteen, agent):
    with pytest.raises(ValueError, match="motif"):
        cancel_day(day=THURSDAY, activity=canteen, reason="  ", by=agent)
    assert not Closure.objects.exists()


# --- the page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_staff_confirm_after_seeing_who_is_concerned(agent_client, strike_day, canteen):
    data = {"day": THURSDAY.isoformat(), "activity": canteen.pk, "reason": "Grève"}

    confirm = agent_client.post(URL, data)

    assert confirm.status_code == 200
    page = strip_tags(page_text(confirm))
    assert "3 réservations de 2 familles seront annulées" in page
    assert not Closure.objects.exists() and not Message.objects.exists()

    done = agent_client.post(URL, {**data, "confirm": "yes"})

    assert done.status_code == 302 and done["Location"] == "/admin/reservations/closure/"
    assert Message.objects.count() == 2
    page = page_text(agent_client.get(done["Location"]))
    assert "3 réservation(s) annulée(s), 2 famille(s) prévenue(s)." in page
    assert "Grève" in page


@pytest.mark.django_db
def test_a_missing_reason_is_said_and_changes_nothing(agent_client, strike_day, canteen):
    response = agent_client.post(
        URL, {"day": THURSDAY.isoformat(), "activity": canteen.pk, "confirm": "yes"}
    )
    assert response.status_code == 200
    assert "Ce champ est obligatoire" in page_text(response)
    assert not Closure.objects.exists()
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.BOOKED}


@pytest.mark.django_db
def test_accounting_staff_cannot_cancel_a_day(accountant_client, strike_day, canteen):
    data = {"day": THURSDAY.isoformat(), "activity": canteen.pk, "reason": "Grève"}
    assert accountant_client.post(URL, {**data, "confirm": "yes"}).status_code == 403
    assert not Closure.objects.exists()


# --- two agents at once ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_agents_at_once_cancel_and_notify_once(strike_day, canteen, agent):
    start = threading.Barrier(2)
    errors = []

    def run():
        start.wait()
        try:
            cancel_day(day=THURSDAY, activity=canteen, reason="Grève", by=agent)
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Closure.objects.count() == 1
    assert Message.objects.count() == 2
