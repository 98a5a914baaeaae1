"""Notices sent before health data stayed out of them lose the health values they carried.

Every clerk reads the families' inbox messages and the outbox in the admin. Until now the
answer to a health change request listed the new values (allergies, PAI, treatments…), the
answer about a medical justificatif named its file and quoted the staff's note, and a
refused medical absence quoted its reason. Their bodies become what is sent today: that
the record changed, where the family reads the rest on its own pages. The e-mails of those
messages get the same text (and no HTML part, rebuilt from the old body). Run twice, it
changes nothing the second time.
"""

import re

from django.db import migrations

CONFIDENTIAL = (
    "Pour protéger les données de santé, ce message n'en reprend pas le contenu : "
    "consultez la fiche sur le portail."
)
ASKED_ON = re.compile(r"^Votre demande du (?P<day>[^\n]+?) (?:a été acceptée|n'a pas été acceptée)")
DOCUMENT = re.compile(
    r"^Votre justificatif (?P<kind>Certificat médical|Document PAI) \(.*?\) "
    r"(?P<verdict>a été accepté\.|n'a pas pu être accepté\.)",
    re.DOTALL,
)
REFUSED_DOCUMENT_END = "\n\nVous pouvez en déposer un nouveau depuis « Mon compte »."


def _health_request_bodies(apps):
    """(message, new body) for the answers to health change requests that list values."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    ChangeRequest = apps.get_model("accounts", "ChangeRequest")
    Message = apps.get_model("messaging", "Message")
    health = ContentType.objects.filter(app_label="children", model="health").first()
    if health is None:
        return
    decided = ChangeRequest.objects.filter(
        content_type=health, status__in=["approved", "rejected"]
    ).values_list("family_id", "label", "status")
    for family_id, label, status in decided:
        accepted = status == "approved"
        subject = f"Demande {'acceptée' if accepted else 'refusée'} : {label}"
        messages = Message.objects.filter(
            recipient_id=family_id, kind="change_request", subject=subject
        )
        for message in messages:
            match = ASKED_ON.match(message.body)
            asked = f" du {match['day']}" if match else ""
            if accepted and "\n- " in message.body:
                yield (
                    message,
                    (
                        f"Votre demande{asked} a été acceptée : la fiche « {label} » a été mise "
                        f"à jour.\n\n{CONFIDENTIAL}"
                    ),
                )
            elif not accepted and "\n\nMotif : " in message.body:
                yield (
                    message,
                    (
                        f"Votre demande{asked} n'a pas été acceptée par la mairie.\n\nLe motif est "
                        "indiqué dans « Mes demandes » sur le portail.\n\nVotre fiche reste "
                        "inchangée. Vous pouvez faire une nouvelle demande."
                    ),
                )


def _document_bodies(apps):
    """(message, new body) for the answers about medical justificatifs."""
    Message = apps.get_model("messaging", "Message")
    answers = Message.objects.filter(
        kind="info", subject__in=["Justificatif accepté", "Justificatif refusé"]
    )
    for message in answers:
        match = DOCUMENT.match(message.body)
        if match is None:
            continue
        body = f"Votre justificatif « {match['kind']} » {match['verdict']}"
        if match["verdict"].startswith("n'a pas"):
            if "\n\nMotif : " in message.body:
                body += "\n\nLe motif est indiqué dans « Mes justificatifs »."
            body += REFUSED_DOCUMENT_END
        yield message, body


def _absence_bodies(apps):
    """(message, new body) for refused medical absences that quote their reason."""
    Message = apps.get_model("messaging", "Message")
    refused = Message.objects.filter(
        kind="info",
        subject__startswith="Absence de ",
        subject__endswith=" refusée",
        body__contains="\n\nMotif : ",
    )
    for message in refused:
        head = message.body.split("\n\nMotif : ", 1)[0]
        yield message, f"{head}\n\nLe motif est indiqué dans « Mes absences »."


def redact(apps, schema_editor):
    OutgoingEmail = apps.get_model("messaging", "OutgoingEmail")
    for source in (_health_request_bodies, _document_bodies, _absence_bodies):
        for message, body in list(source(apps)):
            old = message.body
            message.body = body
            message.save(update_fields=["body"])
            for email in OutgoingEmail.objects.filter(message_id=message.pk):
                text = email.body_text
                email.body_text = text.replace(old, body) if old and old in text else body
                email.body_html = ""
                email.save(update_fields=["body_text", "body_html"])


class Migration(migrations.Migration):
    dependencies = [
        ("children", "0005_health_access_documents_and_requests"),
        ("accounts", "0005_change_request_and_guardian_permissions"),
        ("messaging", "0005_outbox_secrets"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(redact, migrations.RunPython.noop)]
