"""Why a day can or cannot be booked or cancelled — the server's answer, in French.

A `Context` loads once what many checks share (school years, closures, enrolments), so
that deciding for a month of days and several children costs a constant number of
queries.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.conf import settings
from django.utils import timezone

from children.models import Child

from . import calendar, deadlines
from .models import Activity, Closure, Enrolment, EnrolmentStatus, SchoolYear, Unit


@dataclass
class Context:
    """What the checks of one request need, loaded once."""

    at: datetime
    school_years: list[SchoolYear]
    closures: dict[int | None, list[calendar.Closure]]
    enrolments: dict[tuple[int, int, int], str] = field(default_factory=dict)
    school_ids: dict[int, set[int]] = field(default_factory=dict)
    # The same for every child: a month of several children asks each (activity, day) once.
    _closed: dict[tuple[int, date], str | None] = field(default_factory=dict)

    @classmethod
    def load(
        cls, *, children, activities, at: datetime, shared: "Context | None" = None
    ) -> "Context":
        """`shared`, a Context loaded before for the same activities, lends its school
        years, closures, schools and the closed reasons it worked out (they depend on
        nothing else): only the children's enrolments are read."""
        children = list(children)
        activities = list(activities)
        enrolments = {
            (e.child_id, e.activity_id, e.school_year_id): e.status
            for e in Enrolment.objects.filter(
                child__in=[c.pk for c in children], activity__in=[a.pk for a in activities]
            ).only("child_id", "activity_id", "school_year_id", "status")
        }
        if shared is not None:
            return cls(
                at=at,
                school_years=shared.school_years,
                closures=shared.closures,
                enrolments=enrolments,
                school_ids=shared.school_ids,
                _closed=shared._closed,
            )
        closures: dict[int | None, list[calendar.Closure]] = defaultdict(list)
        for closure in Closure.objects.filter(
            activity__in=[a.pk for a in activities]
        ) | Closure.objects.filter(activity__isnull=True):
            closures[closure.activity_id].append(
                calendar.Closure(start=closure.start, end=closure.end, reason=closure.reason)
            )
        school_ids: dict[int, set[int]] = defaultdict(set)
        for activity_id, school_id in Activity.schools.through.objects.filter(
            activity__in=[a.pk for a in activities]
        ).values_list("activity_id", "school_id"):
            school_ids[activity_id].add(school_id)
        return cls(
            at=at,
            school_years=list(SchoolYear.objects.all()),
            closures=closures,
            enrolments=enrolments,
            school_ids=school_ids,
        )

    def school_year(self, day: date) -> SchoolYear | None:
        return next((year for year in self.school_years if day in year), None)

    def closed_reason(self, activity: Activity, day: date) -> str | None:
        key = (activity.pk, day)
        if key not in self._closed:
            self._closed[key] = self._closed_reason(activity, day)
        return self._closed[key]

    def _closed_reason(self, activity: Activity, day: date) -> str | None:
        year = self.school_year(day)
        if year is None:
            return "Hors année scolaire"
        return calendar.closed_reason(
            day,
            pattern=calendar.Pattern(activity.pattern),
            zone=settings.SCHOOL_ZONE,
            alsace_moselle=settings.ALSACE_MOSELLE,
            closures=[*self.closures.get(None, ()), *self.closures.get(activity.pk, ())],
            year_start=year.start,
            year_end=year.end,
        )


def deadline(rule, day: date) -> datetime | None:
    return deadlines.deadline(
        rule.as_rule(), day, zone=settings.SCHOOL_ZONE, alsace_moselle=settings.ALSACE_MOSELLE
    )


def has_passed(limit: datetime | None, at: datetime) -> bool:
    """Compared in UTC: two Paris times compare by wall clock, wrong in October's extra hour."""
    return limit is not None and at.astimezone(UTC) >= limit.astimezone(UTC)


def eligibility(ctx: Context, child: Child, activity: Activity, day: date) -> str | None:
    """What stops this child from ever being booked there that day (deadlines aside)."""
    closed = ctx.closed_reason(activity, day)
    if closed:
        return closed
    year = ctx.school_year(day)
    status = ctx.enrolments.get((child.pk, activity.pk, year.pk))
    if status != EnrolmentStatus.VALIDATED:
        if status == EnrolmentStatus.REQUESTED:
            return "Inscription en attente de validation"
        return "Non inscrit"
    schools = ctx.school_ids.get(activity.pk)
    if schools and child.school_id not in schools:
        return "Activité réservée à d'autres écoles"
    age = child.age(day)
    if activity.min_age is not None and age < activity.min_age:
        return f"À partir de {activity.min_age} ans"
    if activity.max_age is not None and age > activity.max_age:
        return f"Jusqu'à {activity.max_age} ans"
    return None


def booking_refusal(
    ctx: Context, child: Child, unit: Unit, day: date, *, staff: bool
) -> str | None:
    """Why this booking is refused now, or None. Staff bypass windows and deadlines."""
    activity = unit.activity
    reason = eligibility(ctx, child, activity, day)
    if reason or staff:
        return reason
    if day < timezone.localdate(ctx.at):
        return "Jour passé"
    if activity.booking_opens_at and not has_passed(activity.booking_opens_at, ctx.at):
        return deadlines.opens_message(activity.booking_opens_at)
    limit = deadline(activity.booking_rule, day)
    if has_passed(limit, ctx.at):
        return deadlines.passed_message(limit)
    return None


def cancel_refusal(ctx: Context, unit: Unit, day: date, *, staff: bool) -> str | None:
    if staff:
        return None
    limit = deadline(unit.activity.cancel_rule, day)
    if has_passed(limit, ctx.at):
        return deadlines.passed_message(limit)
    return None
