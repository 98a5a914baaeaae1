"""A parent asks to enrol a child in an activity for a school year (« inscription »).

The request waits for staff (reservations.enrolments decides it), unless the activity
needs no validation: then the child is enrolled at once.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Activity, Enrolment, EnrolmentStatus, SchoolYear


def open_school_years(at: datetime | None = None) -> list[SchoolYear]:
    """The current school year and those to come, oldest first."""
    today = timezone.localdate(at or timezone.now())
    return list(SchoolYear.objects.filter(end__gte=today).order_by("start"))


@transaction.atomic
def request_enrolment(
    *, child, activity: Activity, school_year: SchoolYear, by, at: datetime | None = None
) -> Enrolment:
    """Create the request (or renew a refused one); ValidationError says why not."""
    at = at or timezone.now()
    schools = set(activity.schools.values_list("pk", flat=True))
    if schools and child.school_id not in schools:
        raise ValidationError(
            f"{activity.name} est réservé aux enfants d'autres écoles que celle de "
            f"{child.first_name}."
        )
    status = (
        EnrolmentStatus.REQUESTED
        if activity.enrolment_needs_validation
        else EnrolmentStatus.VALIDATED
    )
    decided_at = None if activity.enrolment_needs_validation else at
    existing = (
        Enrolment.objects.select_for_update()
        .filter(child=child, activity=activity, school_year=school_year)
        .first()
    )
    if existing is not None:
        if existing.status != EnrolmentStatus.REFUSED:
            done = existing.status == EnrolmentStatus.VALIDATED
            raise ValidationError(
                f"{child.first_name} est déjà inscrit(e) à {activity.name} pour {school_year}."
                if done
                else f"La demande d'inscription de {child.first_name} à {activity.name} pour "
                f"{school_year} est déjà en attente de validation."
            )
        existing.status, existing.requested_by, existing.requested_at = status, by, at
        existing.decided_by, existing.decided_at, existing.reason = None, decided_at, ""
        existing.save()
        return existing
    try:
        with transaction.atomic():
            return Enrolment.objects.create(
                child=child,
                activity=activity,
                school_year=school_year,
                status=status,
                requested_by=by,
                requested_at=at,
                decided_at=decided_at,
            )
    except IntegrityError:  # the same request from another tab, a moment ago
        raise ValidationError(
            f"La demande d'inscription de {child.first_name} à {activity.name} est déjà "
            "enregistrée."
        ) from None


@transaction.atomic
def withdraw_enrolment(*, enrolment: Enrolment) -> bool:
    """A request not yet decided may be withdrawn; False once staff decided it."""
    deleted, _ = Enrolment.objects.filter(
        pk=enrolment.pk, status=EnrolmentStatus.REQUESTED
    ).delete()
    return bool(deleted)
