"""The audience this app adds to messaging: the families enrolled in an activity.

Registered from ReservationsConfig.ready(); messaging never imports this app. A value
is the activity's pk ("2"); the families are those with a validated enrolment of a
child in that activity for the current school year.
"""

from django.db.models import QuerySet
from django.utils import timezone

from messaging import audiences

from .models import Activity, Enrolment, SchoolYear


def _current_enrolments() -> QuerySet:
    today = timezone.localdate()
    year = SchoolYear.objects.filter(start__lte=today, end__gte=today).values("pk")[:1]
    # No default ordering: its columns would make DISTINCT return a family once per child.
    return Enrolment.objects.validated().filter(school_year__in=year).order_by()


def _choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in Activity.objects.values_list("pk", "name")]


def _recipients(value: str) -> QuerySet:
    enrolments = _current_enrolments()
    if not value.isdigit():
        enrolments = enrolments.none()
    else:
        enrolments = enrolments.filter(activity_id=int(value))
    return enrolments.values_list("child__family_id", flat=True).distinct()


def _values_for(recipient_id: int) -> list[str]:
    activities = _current_enrolments().filter(child__family_id=recipient_id)
    return sorted({str(pk) for pk in activities.values_list("activity_id", flat=True)})


def register() -> None:
    audiences.register(
        audiences.Audience(
            key="activity",
            label="Une activité",
            choices=_choices,
            recipients=_recipients,
            values_for=_values_for,
        )
    )
