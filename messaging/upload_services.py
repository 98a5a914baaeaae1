"""Justificatifs: a family deposits a document, staff accept or refuse it."""

from django.db import transaction
from django.utils import formats, timezone

from .files import CheckedFile
from .models import DocumentStatus, FamilyDocument, Kind
from .services import notify


@transaction.atomic
def deposit_document(
    *, family, kind: str, description: str, upload, checked: CheckedFile, by
) -> FamilyDocument:
    document = FamilyDocument(
        family=family,
        kind=kind,
        description=description,
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=by,
    )
    document.file.save(checked.name, upload, save=False)
    document.save()
    return document


@transaction.atomic
def review_document(*, document: FamilyDocument, accepted: bool, note: str = "") -> bool:
    """Record the staff's decision and tell the family; False if it was already decided so."""
    status = DocumentStatus.ACCEPTED if accepted else DocumentStatus.REFUSED
    updated = (
        FamilyDocument.objects.filter(pk=document.pk)
        .exclude(status=status)
        .update(status=status, staff_note=note)
    )
    if not updated:
        return False
    document.status, document.staff_note = status, note
    subject = "Justificatif accepté" if accepted else "Justificatif refusé"
    body = _review_body(document, accepted=accepted, note=note)
    notify(
        document.family,
        Kind.INFO,
        subject,
        body,
        link="/compte/justificatifs/",
        link_label="Mes justificatifs",
    )
    return True


def _review_body(document: FamilyDocument, *, accepted: bool, note: str) -> str:
    """What the family is told. The inbox and the outbox are read by every clerk: of a
    medical document, neither its file name nor the note (the family reads it in « Mes
    justificatifs »)."""
    deposited = formats.date_format(timezone.localtime(document.uploaded_at), "j F Y")
    if document.is_medical:
        what = f"« {document.get_kind_display()} » déposé le {deposited}"
    else:
        what = f"{document.get_kind_display()} ({document.name})"
    if accepted:
        return f"Votre justificatif {what} a été accepté."
    body = f"Votre justificatif {what} n'a pas pu être accepté."
    if note and document.is_medical:
        body += "\n\nLe motif est indiqué dans « Mes justificatifs »."
    elif note:
        body += f"\n\nMotif : {note}"
    return body + "\n\nVous pouvez en déposer un nouveau depuis « Mon compte »."
