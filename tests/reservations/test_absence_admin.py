"""Staff decide medical absences in the admin; accepted days are not billed."""

from datetime import date

import pytest

from messaging.models import Message
from reservations.models import AbsenceStatus, Booking, MedicalAbsence, Status
from tests import staff
from tests.helpers import page_text

pytestmark = pytest.mark.django_db
health_agent, health_agent_client = staff.health_agent, staff.health_agent_client  # fixtures
CHANGELIST = "/admin/reservations/medicalabsence/"
MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)


@pytest.fixture
def absence(enrolled, meal, parent):
    lea = enrolled[0]
    for day in (MONDAY, TUESDAY):
        Booking.objects.create(
            child=lea, activity=meal.activity, unit=meal, day=day, status=Status.BOOKED
        )
    return MedicalAbsence.objects.create(child=lea, start=MONDAY, end=TUESDAY, requested_by=parent)


def test_staff_see_the_pending_absences(agent_client, absence):
    page = page_text(agent_client.get(CHANGELIST))
    assert "Léa MARTIN" in page
    assert "En attente de décision" in page


def test_accepting_excuses_the_days_and_tells_the_family(health_agent_client, absence, family):
    agent_client = health_agent_client  # deciding means reading the certificate
    agent_client.post(CHANGELIST, {"action": "accept_selected", "_selected_action": [absence.pk]})
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.ACCEPTED
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.EXCUSED}
    assert Message.objects.filter(recipient=family).count() == 1
    # A second click changes nothing and tells nobody twice.
    agent_client.post(CHANGELIST, {"action": "accept_selected", "_selected_action": [absence.pk]})
    assert Message.objects.filter(recipient=family).count() == 1


def test_refusing_needs_a_reason_that_reaches_the_family(health_agent_client, absence, family):
    agent_client = health_agent_client  # deciding means reading the certificate
    data = {"action": "refuse_selected", "_selected_action": [absence.pk], "confirm": "yes"}
    response = agent_client.post(CHANGELIST, {**data, "reason": ""})
    assert response.status_code == 200
    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.PENDING
    agent_client.post(CHANGELIST, {**data, "reason": "Certificat illisible"})
    absence.refresh_from_db()
    assert (absence.status, absence.reason) == (AbsenceStatus.REFUSED, "Certificat illisible")
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.BOOKED}
    # The family reads the reason on « Mes absences », not in a message every clerk reads.
    body = Message.objects.get(recipient=family).body
    assert "Certificat illisible" not in body and "« Mes absences »" in body


def test_parents_cannot_reach_it(parent_client, absence):
    assert parent_client.get(CHANGELIST).url.startswith("/admin/login/")
