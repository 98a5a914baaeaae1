"""Medical absences: a family reports one with its certificate, within the commune's delay
(MEDICAL_ABSENCE_DELAY_HOURS after the start of the first day); staff accept or refuse
it, and the booked days of an accepted absence are excused — not billed."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from messaging.files import CheckedFile
from messaging.models import DocumentKind, DocumentStatus, FamilyDocument, Kind
from messaging.services import notify
from messaging.upload_services import deposit_document
from portail.lib.formats import day_label

from . import deadlines
from .models import AbsenceStatus, Booking, MedicalAbsence, Status
from .rules import has_passed

# The bookings an absence excuses: a child marked present was there.
EXCUSABLE = (Status.BOOKED, Status.ABSENT)
LONGEST = timedelta(days=92)


def report_deadline(start: date) -> datetime:
    """The last moment to report an absence beginning on `start`."""
    hours = settings.MEDICAL_ABSENCE_DELAY_HOURS
    return deadlines.paris_datetime(start, time(0, 0)) + timedelta(hours=hours)


def period_label(start: date, end: date) -> str:
    if start == end:
        return f"le {day_label(start, year=True)}"
    return f"du {day_label(start, weekday=False)} au {day_label(end, year=True, weekday=False)}"


def refusal(*, child, start: date, end: date, at: datetime) -> str | None:
    """Why this absence cannot be reported now, in French, or None."""
    if end < start:
        return "Le dernier jour d'absence précède le premier."
    if end - start > LONGEST:
        return "Une absence se déclare pour trois mois au plus : faites-en plusieurs."
    limit = report_deadline(start)
    if has_passed(limit, at):
        hours = settings.MEDICAL_ABSENCE_DELAY_HOURS
        return (
            f"{deadlines.passed_message(limit)} : une absence se déclare dans les {hours} "
            "heures qui suivent le début de son premier jour."
        )
    if not Booking.objects.filter(
        child=child, day__range=(start, end), status__in=EXCUSABLE
    ).exists():
        period = period_label(start, end)
        return f"{child.first_name} n'a aucune réservation {period} : rien à excuser."
    if MedicalAbsence.objects.overlapping(child=child, start=start, end=end).exists():
        return f"Une absence de {child.first_name} est déjà déclarée sur ces jours."
    return None


@transaction.atomic
def report_absence(
    *,
    child,
    start: date,
    end: date,
    upload,
    checked: CheckedFile,
    comment: str = "",
    by,
    at: datetime | None = None,
) -> MedicalAbsence:
    """Record the absence and its certificate (a « Certificat médical » justificatif), or
    raise ValidationError with the reason and record nothing."""
    at = at or timezone.now()
    reason = refusal(child=child, start=start, end=end, at=at)
    if reason:
        raise ValidationError(reason)
    certificate = deposit_document(
        family=child.family,
        kind=DocumentKind.MEDICAL,
        description=f"Absence de {child.first_name} {period_label(start, end)}"[:200],
        upload=upload,
        checked=checked,
        by=by,
    )
    return MedicalAbsence.objects.create(
        child=child,
        start=start,
        end=end,
        certificate=certificate,
        comment=comment,
        requested_by=by,
        requested_at=at,
    )


@transaction.atomic
def decide_absence(
    *, absence: MedicalAbsence, accepted: bool, by, reason: str = "", at: datetime | None = None
) -> bool:
    """Staff accept or refuse a pending absence; the family is told. Accepted: the child's
    booked (or absent) days of the period become « Absence justifiée », which is not
    billed. False when the absence was already decided (nothing changes, no message)."""
    status = AbsenceStatus.ACCEPTED if accepted else AbsenceStatus.REFUSED
    if not absence.decide(by=by, status=status, reason="" if accepted else reason, at=at):
        return False
    child = absence.child
    FamilyDocument.objects.filter(pk=absence.certificate_id).update(
        status=DocumentStatus.ACCEPTED if accepted else DocumentStatus.REFUSED
    )
    period = period_label(absence.start, absence.end)
    if accepted:
        excused = Booking.objects.filter(
            child=child, day__range=(absence.start, absence.end), status__in=EXCUSABLE
        ).update(status=Status.EXCUSED)
        subject = f"Absence de {child.first_name} acceptée"
        body = (
            f"La mairie a accepté le certificat médical de {child.first_name} pour son absence "
            f"{period}. Les jours réservés ({excused}) ne vous seront pas facturés."
        )
    else:
        subject = f"Absence de {child.first_name} refusée"
        body = (
            f"La mairie n'a pas pu accepter le certificat médical de {child.first_name} pour "
            f"son absence {period} : les jours réservés restent facturés."
        )
        if absence.reason:
            # Written about a medical certificate, it may name health data: the inbox and
            # the outbox are read by every clerk, so the family reads it on its own page.
            body += "\n\nLe motif est indiqué dans « Mes absences »."
    notify(
        child.family,
        Kind.INFO,
        subject,
        body,
        link="/reservations/absences/",
        link_label="Mes absences",
    )
    return True
