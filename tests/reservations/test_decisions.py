"""Enrolments and medical absences are decided once (portail.lib.decisions), on PostgreSQL."""

import threading
from datetime import date

import pytest
from django.db import connections

from messaging.models import Message
from reservations import enrolments
from reservations.absences import decide_absence
from reservations.models import (
    AbsenceStatus,
    Booking,
    Enrolment,
    EnrolmentStatus,
    MedicalAbsence,
    Status,
)
from tests import staff
from tests.helpers import page_text
from tests.reservations.conftest import enrol

health_agent, health_agent_client = staff.health_agent, staff.health_agent_client  # fixtures

MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)
DECIDED = ("status", "decided_by", "decided_at", "reason")


def decided_fields(row) -> tuple:
    return type(row).objects.filter(pk=row.pk).values_list(*DECIDED)[0]


def run_together(*targets) -> list:
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

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.fixture
def requested(family, canteen, school_year) -> Enrolment:
    lea = family.children.get(first_name="Léa")
    enrol([lea], canteen, year=school_year, status=EnrolmentStatus.REQUESTED)
    return Enrolment.objects.get()


@pytest.fixture
def absence(enrolled, meal, parent) -> MedicalAbsence:
    lea = enrolled[0]
    for day in (MONDAY, TUESDAY):
        Booking.objects.create(
            child=lea, activity=meal.activity, unit=meal, day=day, status=Status.BOOKED
        )
    return MedicalAbsence.objects.create(child=lea, start=MONDAY, end=TUESDAY, requested_by=parent)


# --- two clerks at once ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_clerks_validating_and_refusing_one_enrolment_at_once_decide_once(
    requested, family, agent, superuser
):
    results = run_together(
        lambda: len(enrolments.validate(enrolment_ids=[requested.pk], by=agent).decided),
        lambda: len(
            enrolments.refuse(enrolment_ids=[requested.pk], by=superuser, reason="Complet").decided
        ),
    )

    assert sorted(results) == [0, 1]
    requested.refresh_from_db()
    message = Message.objects.get(recipient=family)
    if requested.status == EnrolmentStatus.VALIDATED:
        assert (requested.decided_by, message.subject) == (agent, "Inscription validée")
    else:
        assert (requested.decided_by, requested.reason) == (superuser, "Complet")
        assert message.subject == "Inscription refusée"


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_and_refusing_one_absence_at_once_decide_once(
    absence, family, agent, superuser
):
    results = run_together(
        lambda: decide_absence(absence=absence, accepted=True, by=agent),
        lambda: decide_absence(
            absence=MedicalAbsence.objects.get(pk=absence.pk),
            accepted=False,
            by=superuser,
            reason="Certificat illisible",
        ),
    )

    assert sorted(results) == [False, True]
    absence.refresh_from_db()
    assert Message.objects.filter(recipient=family).count() == 1
    days = set(Booking.objects.values_list("status", flat=True))
    if absence.status == AbsenceStatus.ACCEPTED:
        assert (absence.decided_by, days) == (agent, {Status.EXCUSED})
    else:
        assert (absence.decided_by, days) == (superuser, {Status.BOOKED})


# --- a request already decided -----------------------------------------------------------


@pytest.mark.django_db
def test_deciding_an_enrolment_already_decided_changes_nothing(requested, family, agent, superuser):
    stale = Enrolment.objects.get(pk=requested.pk)
    enrolments.refuse(enrolment_ids=[requested.pk], by=agent, reason="Complet")
    before = decided_fields(requested)

    assert not stale.decide(by=superuser, status=EnrolmentStatus.VALIDATED)
    decision = enrolments.validate(enrolment_ids=[requested.pk], by=superuser)

    assert (decision.decided, decision.skipped) == ([], 1)
    assert decided_fields(requested) == before
    assert (stale.status, stale.decided_by) == (EnrolmentStatus.REFUSED, agent)
    assert Message.objects.filter(recipient=family).count() == 1


@pytest.mark.django_db
def test_deciding_an_absence_already_decided_changes_nothing(absence, family, agent, superuser):
    stale = MedicalAbsence.objects.get(pk=absence.pk)
    assert decide_absence(absence=absence, accepted=False, by=agent, reason="Illisible")
    before = decided_fields(absence)

    assert not stale.decide(by=superuser, status=AbsenceStatus.ACCEPTED)
    assert not decide_absence(absence=stale, accepted=True, by=superuser)

    assert decided_fields(absence) == before
    assert (stale.status, stale.decided_by) == (AbsenceStatus.REFUSED, agent)
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.BOOKED}
    assert Message.objects.filter(recipient=family).count() == 1


# --- the one refusal page ----------------------------------------------------------------


@pytest.mark.django_db
def test_the_absences_refusal_page_says_the_reason_stays_on_the_familys_page(
    health_agent_client, absence
):
    response = health_agent_client.post(
        "/admin/reservations/medicalabsence/",
        {"action": "refuse_selected", "_selected_action": [absence.pk]},
    )

    assert response.status_code == 200
    page = page_text(response)
    assert "L'absence suivante sera refusée. Ses jours restent facturés" in page
    assert "lit le motif dans « Mes absences »" in page
    assert "Léa MARTIN — du 30 novembre au 1er décembre 2026" in page
    assert 'name="action" value="refuse_selected"' in page
    assert 'value="Refuser ces absences"' in page
    assert decided_fields(absence) == (AbsenceStatus.PENDING, None, None, "")
