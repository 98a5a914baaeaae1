"""A medical absence's certificate, comment and refusal reason are health data: only
« Données de santé » reads them (each look and download logged against the child) and
decides the absence; other clerks see who is absent when."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from children.models import HealthAccess
from messaging.files import CheckedFile
from messaging.models import DocumentKind, Message, OutgoingEmail
from messaging.upload_services import deposit_document
from reservations.models import AbsenceStatus, Booking, MedicalAbsence, Status
from tests import staff
from tests.helpers import page_text as raw_page_text
from tests.messaging import files

pytestmark = pytest.mark.django_db
health_agent, health_agent_client = staff.health_agent, staff.health_agent_client  # fixtures

ADMIN = "/admin/reservations/medicalabsence/"
MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)
FILE_NAME = "certificat-varicelle-SENTINELLE.pdf"
COMMENT = "COMMENTAIRE-VARICELLE-SENTINELLE"
REASON = "MOTIF-DIAGNOSTIC-SENTINELLE"
SENTINELS = ("SENTINELLE", "varicelle")
QUERIES = 10  # 9 today, whatever the number of absences: an N+1 adds 4


def page_text(response) -> str:
    return raw_page_text(response).replace("\xa0", " ")


def assert_no_sentinel(text: str) -> None:
    for sentinel in SENTINELS:
        assert sentinel not in text


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def lea(enrolled, meal):
    lea = enrolled[0]
    for day in (MONDAY, TUESDAY):
        Booking.objects.create(
            child=lea, activity=meal.activity, unit=meal, day=day, status=Status.BOOKED
        )
    return lea


@pytest.fixture
def absence(lea, parent) -> MedicalAbsence:
    content = files.pdf_bytes()
    certificate = deposit_document(
        family=lea.family,
        kind=DocumentKind.MEDICAL,
        description="Absence de Léa",
        upload=SimpleUploadedFile(FILE_NAME, content, content_type="application/pdf"),
        checked=CheckedFile(name=FILE_NAME, content_type="application/pdf", size=len(content)),
        by=parent,
    )
    return MedicalAbsence.objects.create(
        child=lea,
        start=MONDAY,
        end=TUESDAY,
        certificate=certificate,
        comment=COMMENT,
        requested_by=parent,
    )


def certificate_url(absence) -> str:
    return f"{ADMIN}{absence.pk}/certificat/"


# --- a clerk without « Données de santé » -------------------------------------------------


def test_a_clerk_gets_a_french_403_and_no_byte_of_the_certificate(agent_client, absence):
    own = agent_client.get(certificate_url(absence))
    generic = agent_client.get(
        f"/admin/messaging/familydocument/{absence.certificate_id}/telecharger/"
    )

    for response in (own, generic):
        assert response.status_code == 403
        assert not response.streaming and b"%PDF" not in response.content
        assert "Content-Disposition" not in response
        assert "réservé au groupe « Données de santé »" in page_text(response)
        assert_no_sentinel(page_text(response))
    assert not HealthAccess.objects.exists()


def test_a_clerk_sees_who_is_absent_when_but_no_certificate_nor_comment(agent_client, absence):
    listing = agent_client.get(ADMIN)
    page = agent_client.get(f"{ADMIN}{absence.pk}/change/")

    for response in (listing, page):
        assert response.status_code == 200
        assert_no_sentinel(page_text(response))
        assert certificate_url(absence) not in page_text(response)
    assert "Léa MARTIN" in page_text(listing) and "En attente de décision" in page_text(listing)
    assert "réservé au groupe « Données de santé »" in page_text(page)
    assert not HealthAccess.objects.exists()


def test_a_clerk_cannot_decide_an_absence_blind(agent_client, absence, family):
    agent_client.post(ADMIN, {"action": "accept_selected", "_selected_action": [absence.pk]})
    agent_client.post(
        ADMIN,
        {
            "action": "refuse_selected",
            "_selected_action": [absence.pk],
            "confirm": "yes",
            "reason": "Non",
        },
    )

    absence.refresh_from_db()
    assert absence.status == AbsenceStatus.PENDING
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.BOOKED}
    assert not Message.objects.filter(recipient=family).exists()
    assert "Accepter (jours non facturés)" not in page_text(agent_client.get(ADMIN))


# --- the health agent ---------------------------------------------------------------------


def test_the_health_agent_downloads_the_certificate_logged_against_the_child(
    health_agent_client, health_agent, absence, lea
):
    response = health_agent_client.get(certificate_url(absence))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert body(response).startswith(b"%PDF")
    access = HealthAccess.objects.get()
    assert (access.staff, access.child, access.action, access.document_id) == (
        health_agent,
        lea,
        "document",
        absence.certificate_id,
    )


def test_the_health_agent_reads_the_absence_and_that_look_is_logged(
    health_agent_client, health_agent, absence, lea
):
    page = page_text(health_agent_client.get(f"{ADMIN}{absence.pk}/change/"))

    assert COMMENT in page and certificate_url(absence) in page
    access = HealthAccess.objects.get()
    assert (access.staff, access.child, access.action) == (health_agent, lea, "view")


def test_the_refusal_reason_stays_out_of_the_message(
    health_agent_client, absence, family, parent, parent_client
):
    health_agent_client.post(
        ADMIN,
        {
            "action": "refuse_selected",
            "_selected_action": [absence.pk],
            "confirm": "yes",
            "reason": REASON,
        },
    )

    absence.refresh_from_db()
    assert (absence.status, absence.reason) == (AbsenceStatus.REFUSED, REASON)
    message = Message.objects.get(recipient=family)
    assert "Le motif est indiqué dans « Mes absences »." in message.body
    assert_no_sentinel(message.body)
    emails = OutgoingEmail.objects.filter(message=message)
    assert emails.filter(to=parent.email).exists()
    for email in emails:
        assert_no_sentinel(email.body_text + email.body_html)
    assert REASON in page_text(parent_client.get("/reservations/absences/"))


@pytest.mark.parametrize("persona", ["agent_client", "health_agent_client"])
def test_the_list_runs_a_constant_number_of_queries(
    request, persona, absence, lea, parent, django_assert_max_num_queries
):
    client = request.getfixturevalue(persona)
    hugo = lea.family.children.exclude(pk=lea.pk).get()
    for child, day in ((lea, date(2026, 12, 7)), (hugo, MONDAY), (hugo, date(2026, 12, 8))):
        MedicalAbsence.objects.create(
            child=child, start=day, end=day, certificate=absence.certificate, requested_by=parent
        )
    client.get(ADMIN)
    with django_assert_max_num_queries(QUERIES):
        assert client.get(ADMIN).status_code == 200
