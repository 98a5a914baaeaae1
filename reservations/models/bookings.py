"""Who is enrolled where, and who is booked (or waiting) for which day."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child
from portail.lib.decisions import Decision, DecisionQuerySet

from .activities import Activity, SchoolYear, Unit


class EnrolmentStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandée")
    VALIDATED = "validated", _("Validée")
    REFUSED = "refused", _("Refusée")


class EnrolmentQuerySet(DecisionQuerySet):
    def validated(self) -> "EnrolmentQuerySet":
        return self.filter(status=EnrolmentStatus.VALIDATED)


class Enrolment(Decision):
    """A child's inscription in an activity for a school year; only enrolled children book."""

    PENDING, APPROVED = EnrolmentStatus.REQUESTED, EnrolmentStatus.VALIDATED
    REFUSED = EnrolmentStatus.REFUSED

    child = models.ForeignKey(
        Child, verbose_name=_("enfant"), on_delete=models.CASCADE, related_name="enrolments"
    )
    activity = models.ForeignKey(
        Activity, verbose_name=_("activité"), on_delete=models.PROTECT, related_name="enrolments"
    )
    school_year = models.ForeignKey(
        SchoolYear, verbose_name=_("année scolaire"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("état"), max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.REQUESTED
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "activity", "school_year"], name="enrolment_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.activity} ({self.school_year})"


class Status(models.TextChoices):
    BOOKED = "booked", _("Réservé")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulé")
    LATE_CANCELLED = "late_cancelled", _("Annulé hors délai")
    PRESENT = "present", _("Présent")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Absence justifiée")


# Statuses that hold one of the day's places.
HOLDING = (Status.BOOKED, Status.PRESENT, Status.ABSENT, Status.EXCUSED)
# Statuses of a booking still alive: at most one per child, activity and day.
LIVE = (*HOLDING, Status.WAITING)


class BookingQuerySet(models.QuerySet):
    def for_family(self, family_id: int | None) -> "BookingQuerySet":
        return self.filter(child__family_id=family_id)

    def live(self) -> "BookingQuerySet":
        return self.filter(status__in=LIVE)

    def holding(self) -> "BookingQuerySet":
        return self.filter(status__in=HOLDING)

    def waiting(self) -> "BookingQuerySet":
        # In order of arrival: ids are given under the day's lock (see services.book).
        return self.filter(status=Status.WAITING).order_by("pk")


class Booking(models.Model):
    child = models.ForeignKey(
        Child, verbose_name=_("enfant"), on_delete=models.PROTECT, related_name="bookings"
    )
    # Denormalised from the unit so that the database can forbid two live bookings of a
    # child in one activity on one day (a whole day and a morning, say).
    activity = models.ForeignKey(
        Activity, verbose_name=_("activité"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unité"), on_delete=models.PROTECT, related_name="bookings"
    )
    day = models.DateField(_("jour"))
    status = models.CharField(_("état"), max_length=16, choices=Status.choices)
    created_at = models.DateTimeField(_("réservé le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("réservé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    by_staff = models.BooleanField(_("saisi par la mairie"), default=False)
    after_deadline = models.BooleanField(
        _("hors délai"), default=False, help_text=_("Saisi par la mairie après le délai.")
    )
    unbooked = models.BooleanField(_("présent sans réservation"), default=False)
    waiting_since = models.DateTimeField(_("en liste d'attente depuis"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("annulé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["day", "child", "activity"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "activity", "day"],
                condition=models.Q(status__in=[str(s) for s in LIVE]),
                name="booking_one_live_per_child_activity_day",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="waiting") | models.Q(waiting_since__isnull=False),
                name="booking_waiting_has_position",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "day", "status"], name="booking_unit_day_idx"),
            models.Index(fields=["child", "day"], name="booking_child_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.child} — {self.unit} — {self.day:%d/%m/%Y}"


class DayCount(models.Model):
    """One row per unit and day: the lock that serialises bookings of the same places, the
    count of places taken, and what was sent to the kitchen once the day was frozen."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unité"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("jour"))
    booked = models.PositiveIntegerField(_("places prises"), default=0)
    frozen_at = models.DateTimeField(_("figé le"), null=True, blank=True)
    frozen_count = models.PositiveIntegerField(_("nombre transmis"), null=True, blank=True)

    class Meta:
        verbose_name = _("compteur du jour")
        verbose_name_plural = _("compteurs du jour")
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="day_count_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.day:%d/%m/%Y} : {self.booked}"
