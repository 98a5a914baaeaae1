"""The data migration that takes health values out of the notices sent before the fix."""

import importlib

import pytest
from django.apps import apps

from accounts import change_requests as cr
from accounts.models import ChangeRequest, ChangeStatus
from children.models import Health
from messaging.models import Kind, Message, OutgoingEmail
from messaging.services import notify

pytestmark = pytest.mark.django_db

migration = importlib.import_module("children.migrations.0006_redact_health_notices")
ALLERGY = "ALLERGIE-ARACHIDE-SENTINELLE"


def old_health_answer(family, parent, *, accepted: bool) -> Message:
    """A health request decided, and its answer as the portal wrote it before."""
    lea = family.children.get(first_name="Léa")
    health, _ = Health.objects.get_or_create(child=lea)
    request = cr.submit(
        family=family,
        section="enfant-sante",
        label="Santé de Léa",
        by=parent,
        instance=health,
        data={"allergies": ALLERGY},
    )
    status = ChangeStatus.APPROVED if accepted else ChangeStatus.REJECTED
    ChangeRequest.objects.filter(pk=request.pk).update(status=status)
    if accepted:
        subject = "Demande acceptée : Santé de Léa"
        body = (
            "Votre demande du 3 novembre 2026 a été acceptée et enregistrée par la mairie :\n"
            f"- Allergies : {ALLERGY}"
        )
    else:
        subject = "Demande refusée : Santé de Léa"
        body = (
            "Votre demande du 3 novembre 2026 n'a pas été acceptée par la mairie.\n\n"
            f"Motif : {ALLERGY} non confirmée\n\nVotre fiche reste inchangée. Vous pouvez "
            "faire une nouvelle demande."
        )
    return notify(family, Kind.CHANGE_REQUEST, subject, body)


def redact() -> None:
    migration.redact(apps, None)


def assert_clean(message: Message, *sentinels: str) -> None:
    message.refresh_from_db()
    texts = [message.body]
    for email in OutgoingEmail.objects.filter(message=message):
        texts += [email.body_text, email.body_html]
    for sentinel in sentinels:
        assert all(sentinel not in text for text in texts)


def test_health_answers_lose_their_values_and_keep_their_date(family, parent):
    accepted = old_health_answer(family, parent, accepted=True)
    assert OutgoingEmail.objects.filter(message=accepted, body_text__contains=ALLERGY).exists()

    redact()

    assert_clean(accepted, ALLERGY)
    assert accepted.body.startswith("Votre demande du 3 novembre 2026 a été acceptée : la fiche")
    email = OutgoingEmail.objects.get(message=accepted)
    assert accepted.body in email.body_text and email.body_text.startswith("Bonjour,")


def test_a_refused_health_answer_loses_its_reason(family, parent):
    refused = old_health_answer(family, parent, accepted=False)

    redact()

    assert_clean(refused, ALLERGY)
    assert "Le motif est indiqué dans « Mes demandes »" in refused.body


def test_medical_justificatifs_and_absences_lose_file_names_and_reasons(family):
    document = notify(
        family,
        Kind.INFO,
        "Justificatif refusé",
        "Votre justificatif Certificat médical (asthme-SENTINELLE.pdf) n'a pas pu être "
        "accepté.\n\nMotif : NOTE-SENTINELLE\n\nVous pouvez en déposer un nouveau depuis "
        "« Mon compte ».",
    )
    absence = notify(
        family,
        Kind.INFO,
        "Absence de Léa refusée",
        "La mairie n'a pas pu accepter le certificat médical de Léa pour son absence le "
        "lundi 30 novembre 2026 : les jours réservés restent facturés.\n\nMotif : "
        "MOTIF-SENTINELLE",
    )
    insurance = notify(
        family,
        Kind.INFO,
        "Justificatif accepté",
        "Votre justificatif Attestation d'assurance (assurance.pdf) a été accepté.",
    )

    redact()

    assert_clean(document, "SENTINELLE")
    assert_clean(absence, "SENTINELLE")
    assert document.body.startswith("Votre justificatif « Certificat médical » n'a pas pu")
    assert "« Mes justificatifs »" in document.body
    assert absence.body.endswith("Le motif est indiqué dans « Mes absences ».")
    insurance.refresh_from_db()
    assert "assurance.pdf" in insurance.body  # not health data: left as it was


def test_a_second_run_changes_nothing(family, parent):
    accepted = old_health_answer(family, parent, accepted=True)
    redact()
    accepted.refresh_from_db()
    once = accepted.body

    redact()

    accepted.refresh_from_db()
    assert accepted.body == once
