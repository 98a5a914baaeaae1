"""Medical absence: reported with its certificate within the delay; staff decide; an
accepted absence excuses the booked days."""

from datetime import date, datetime

import pytest

from messaging.models import DocumentKind, DocumentStatus, FamilyDocument, Message
from reservations.absences import decide_absence
from reservations.models import AbsenceStatus, Booking, MedicalAbsence, Status
from tests.messaging import files
from tests.reservations.pages import PARIS, freeze, text

pytestmark = pytest.mark.django_db
URL = "/reservations/absences/"
MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)
TUESDAY_10H = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
WEDNESDAY_0H01 = datetime(2026, 12, 2, 0, 1, tzinfo=PARIS)


@pytest.fixture
def booked(enrolled, meal):
    """Léa booked for the canteen on Monday and Tuesday (and Hugo on Monday)."""
    lea, hugo = enrolled
    for child, day in ((lea, MONDAY), (lea, TUESDAY), (hugo, MONDAY)):
        Booking.objects.create(
            child=child, activity=meal.activity, unit=meal, day=day, status=Status.BOOKED
        )
    return lea


def report(client, child, start=MONDAY, end=TUESDAY, certificate=None, **kw):
    return client.post(
        URL,
        {
            "child": child.pk,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "certificate": certificate or files.pdf("certificat.pdf"),
            "comment": "Angine",
        },
        **kw,
    )


def test_a_parent_reports_an_absence_with_its_certificate(
    parent_client, parent, time_machine, booked
):
    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    response = report(parent_client, booked, follow=True)
    absence = MedicalAbsence.objects.get()
    assert (absence.child, absence.start, absence.end) == (booked, MONDAY, TUESDAY)
    assert absence.status == AbsenceStatus.PENDING
    assert (absence.requested_by, absence.comment) == (parent, "Angine")
    document = absence.certificate
    assert (document.family, document.kind) == (parent.family, DocumentKind.MEDICAL)
    assert document.description == "Absence de Léa du 30 novembre au 1er décembre 2026"
    words = text(response)
    assert "L'absence de Léa et son certificat sont transmis à la mairie" in words
    assert "Léa — du 30 novembre au 1er décembre 2026 En attente de décision" in words
    assert "certificat.pdf" in words


def test_after_the_delay_it_is_refused_and_says_since_when(
    parent_client, parent, time_machine, booked
):
    freeze(time_machine, parent_client, parent, WEDNESDAY_0H01)
    response = report(parent_client, booked)
    assert response.status_code == 400
    assert (
        "Délai dépassé depuis le mercredi 2 décembre à 0h : une absence se déclare dans les 48 "
        "heures qui suivent le début de son premier jour."
    ) in text(response)
    assert not MedicalAbsence.objects.exists()
    assert not FamilyDocument.objects.exists()


def test_the_commune_sets_the_delay(parent_client, parent, time_machine, booked, settings):
    settings.MEDICAL_ABSENCE_DELAY_HOURS = 72
    freeze(time_machine, parent_client, parent, WEDNESDAY_0H01)
    assert report(parent_client, booked).status_code == 302
    assert MedicalAbsence.objects.exists()


def test_an_absence_on_days_without_booking_is_refused(
    parent_client, parent, time_machine, enrolled
):
    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    response = report(parent_client, enrolled[0], start=MONDAY, end=MONDAY)
    assert "Léa n'a aucune réservation le lundi 30 novembre 2026 : rien à excuser." in text(
        response
    )
    assert not MedicalAbsence.objects.exists()


def test_the_same_days_cannot_be_reported_twice(parent_client, parent, time_machine, booked):
    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    report(parent_client, booked)
    response = report(parent_client, booked, start=TUESDAY, end=TUESDAY)
    assert "Une absence de Léa est déjà déclarée sur ces jours." in text(response)
    assert MedicalAbsence.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"certificate": files.renamed_executable}, "n'est pas un document PDF, JPEG ou PNG"),
        ({"end": MONDAY, "start": TUESDAY}, "Le dernier jour d'absence précède le premier."),
    ],
)
def test_bad_input_says_why_and_saves_nothing(
    parent_client, parent, time_machine, booked, data, message
):
    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    if "certificate" in data:
        data = {**data, "certificate": data["certificate"]()}
    response = report(parent_client, booked, **data)
    assert response.status_code == 400
    assert message in text(response)
    assert not MedicalAbsence.objects.exists()
    assert not FamilyDocument.objects.exists()


def test_an_unreadable_date_says_so(parent_client, parent, time_machine, booked):
    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    response = parent_client.post(
        URL, {"child": booked.pk, "start": "hier", "end": "2026-12-01", "certificate": files.pdf()}
    )
    assert response.status_code == 400
    assert "Saisissez une date valide." in text(response)


def test_another_familys_child_is_not_a_valid_choice(
    parent_client, parent, time_machine, booked, other_family
):
    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    response = report(parent_client, other_family.children.get())
    assert response.status_code == 400
    assert not MedicalAbsence.objects.exists()


def test_an_accepted_absence_excuses_the_booked_days_and_tells_the_family(
    parent_client, parent, time_machine, booked, agent, family
):
    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    report(parent_client, booked)
    absence = MedicalAbsence.objects.get()
    assert decide_absence(absence=absence, accepted=True, by=agent)
    statuses = dict(Booking.objects.filter(child=booked).values_list("day", "status"))
    assert statuses == {MONDAY: Status.EXCUSED, TUESDAY: Status.EXCUSED}
    hugo = Booking.objects.exclude(child=booked).get()
    assert hugo.status == Status.BOOKED  # only the absent child's days
    absence.refresh_from_db()
    assert (absence.status, absence.decided_by) == (AbsenceStatus.ACCEPTED, agent)
    assert absence.certificate.status == DocumentStatus.ACCEPTED
    message = Message.objects.get(recipient=family)
    assert message.subject == "Absence de Léa acceptée"
    assert "ne vous seront pas facturés" in message.body
    # Deciding again changes nothing and sends nothing.
    assert not decide_absence(absence=absence, accepted=False, by=agent, reason="Non")
    assert Message.objects.count() == 1
    assert "Acceptée" in text(parent_client.get(URL))


def test_a_refused_absence_keeps_the_bookings_and_says_why(
    parent_client, parent, time_machine, booked, agent, family
):
    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    report(parent_client, booked)
    absence = MedicalAbsence.objects.get()
    assert decide_absence(absence=absence, accepted=False, by=agent, reason="Certificat illisible")
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.BOOKED}
    message = Message.objects.get(recipient=family)
    assert message.subject == "Absence de Léa refusée"
    assert "Certificat illisible" not in message.body  # read by clerks: no reason
    assert "Le motif est indiqué dans « Mes absences »." in message.body
    assert "Refusée — Certificat illisible" in text(parent_client.get(URL))


def test_withdrawing_the_certificate_keeps_the_absence_without_one(
    parent_client, parent, time_machine, booked
):
    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    report(parent_client, booked)
    document = FamilyDocument.objects.get()
    response = parent_client.post(f"/compte/justificatifs/{document.pk}/retirer/")
    assert response.status_code == 302
    absence = MedicalAbsence.objects.get()
    assert absence.certificate is None
    assert "certificat retiré" in text(parent_client.get(URL))


def test_the_list_shows_only_the_familys_absences(
    parent_client, parent, time_machine, booked, other_parent
):
    from django.test import Client

    freeze(time_machine, parent_client, parent, TUESDAY_10H)
    report(parent_client, booked)
    other = Client()
    other.force_login(other_parent)
    assert "Léa" not in text(other.get(URL))


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get(URL).url.startswith("/connexion/")
