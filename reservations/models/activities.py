"""What can be booked: activities, their units, their calendar and their deadline rules.

Deadline rules, activities (their schools included), units (their capacity) and closures
keep their history: who changed when a family may book, and when.
"""

from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from children.models import School

from .. import deadlines


class SchoolYear(models.Model):
    name = models.CharField(_("année scolaire"), max_length=9, unique=True, help_text="2026-2027")
    start = models.DateField(_("rentrée"))
    end = models.DateField(_("fin (dernier jour des vacances d'été)"))

    class Meta:
        verbose_name = _("année scolaire")
        verbose_name_plural = _("années scolaires")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="school_year_in_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def __contains__(self, day) -> bool:
        return self.start <= day <= self.end


class RuleKind(models.TextChoices):
    NONE = "none", _("Sans délai")
    DAYS_BEFORE = "days_before", _("N jours avant, à une heure donnée")
    PREVIOUS_WEEK = "previous_week", _("Un jour de la semaine précédente, à une heure donnée")
    BEFORE_PERIOD = "before_period", _("N jours avant le début des vacances")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class DeadlineRule(models.Model):
    """A deadline as typed fields: « J-2 avant 10h », « jeudi 12h pour la semaine suivante »."""

    name = models.CharField(_("nom"), max_length=100, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=RuleKind.choices)
    days = models.PositiveSmallIntegerField(_("nombre de jours"), default=0)
    time = models.TimeField(_("heure limite"), default=time(0, 0))
    working_days = models.BooleanField(
        _("jours ouvrés"),
        default=False,
        help_text=_("Compter sans les week-ends ni les jours fériés."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("jour de la semaine précédente"), choices=Weekday.choices, null=True, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("règle de délai")
        verbose_name_plural = _("règles de délai")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="previous_week") | models.Q(weekday__isnull=False),
                name="deadline_rule_previous_week_has_weekday",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def as_rule(self) -> deadlines.Rule:
        return deadlines.Rule(
            kind=deadlines.RuleKind(self.kind),
            days=self.days,
            time=self.time,
            working_days=self.working_days,
            weekday=self.weekday,
        )


class Pattern(models.TextChoices):
    SCHOOL_DAYS = "school_days", _("Jours d'école (lundi, mardi, jeudi, vendredi)")
    WEDNESDAYS = "wednesdays", _("Mercredis en période scolaire")
    HOLIDAYS = "holidays", _("Jours de semaine pendant les vacances scolaires")


class Activity(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    pattern = models.CharField(_("jours d'ouverture"), max_length=20, choices=Pattern.choices)
    schools = models.ManyToManyField(
        School,
        verbose_name=_("écoles desservies"),
        blank=True,
        related_name="activities",
        help_text=_("Aucune : ouverte aux enfants de toutes les écoles."),
    )
    min_age = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("âge maximum"), null=True, blank=True)
    booking_rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("délai de réservation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_rule = models.ForeignKey(
        DeadlineRule,
        verbose_name=_("délai d'annulation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    booking_opens_at = models.DateTimeField(
        _("ouverture des réservations"),
        null=True,
        blank=True,
        help_text=_("Avant cette date et heure, les familles ne peuvent pas encore réserver."),
    )
    enrolment_needs_validation = models.BooleanField(
        _("inscription validée par la mairie"), default=True
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords(m2m_fields=[schools])

    class Meta:
        verbose_name = _("activité")
        verbose_name_plural = _("activités")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """What is booked for a day: « repas », « journée avec repas », « matin sans repas »…"""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activité"), on_delete=models.CASCADE, related_name="units"
    )
    name = models.CharField(_("nom"), max_length=100)
    capacity = models.PositiveIntegerField(
        _("places par jour"), null=True, blank=True, help_text=_("Vide : sans limite.")
    )
    includes_meal = models.BooleanField(_("avec repas"), default=False)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unité")
        verbose_name_plural = _("unités")
        ordering = ["activity", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "name"], name="unit_name_unique_per_activity"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.name}"


class Closure(models.Model):
    """Days an activity (or every activity) is closed: strike, pont, works…"""

    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activité"),
        on_delete=models.CASCADE,
        related_name="closures",
        null=True,
        blank=True,
        help_text=_("Vide : toutes les activités."),
    )
    start = models.DateField(_("du"))
    end = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="closure_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.start:%d/%m/%Y} – {self.end:%d/%m/%Y})"
