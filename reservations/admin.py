"""Staff set up activities, calendars and rules, decide enrolments and read bookings.

Bookings are read here, not edited: they are made and cancelled through the pages that
apply the rules and leave a trace (« Réserver / annuler pour une famille », « Pointage »,
« Annuler une journée pour tous »), which this module adds to the bookings' admin.
"""

from django import forms
from django.contrib import admin
from django.db.models import Prefetch
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from children.models import School
from portail.admin_mixins import ReadOnlyAdminMixin
from portail.lib.decision_admin import DecisionAdminMixin, Outcome
from portail.lib.history_admin import HistoryWithInlinesAdmin

from . import deadlines, enrolments, staff_views
from .models import (
    Activity,
    Booking,
    Closure,
    DayCount,
    DeadlineRule,
    Enrolment,
    RuleKind,
    SchoolYear,
    Unit,
)


class SchoolYearForm(forms.ModelForm):
    class Meta:
        model = SchoolYear
        fields = ("name", "start", "end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end <= start:
            self.add_error("end", _("La fin de l'année scolaire doit suivre la rentrée."))
        return cleaned


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    form = SchoolYearForm
    list_display = ("name", "start", "end")
    search_fields = ("name",)


class DeadlineRuleForm(forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = ("name", "kind", "days", "time", "working_days", "weekday")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == RuleKind.PREVIOUS_WEEK and cleaned.get("weekday") is None:
            self.add_error("weekday", _("Choisissez le jour de la semaine précédente."))
        return cleaned


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(SimpleHistoryAdmin):
    form = DeadlineRuleForm
    list_display = ("name", "description", "kind")
    list_filter = ("kind",)
    search_fields = ("name",)
    fieldsets = (
        (None, {"fields": ("name", "kind")}),
        (
            _("Délai"),
            {
                "fields": ("days", "working_days", "weekday", "time"),
                "description": _(
                    "« N jours avant » et « avant les vacances » utilisent le nombre de "
                    "jours ; « semaine précédente » utilise le jour de la semaine."
                ),
            },
        ),
    )

    @admin.display(description=_("ce que lisent les familles"))
    def description(self, rule: DeadlineRule) -> str:
        return deadlines.describe(rule.as_rule())


class UnitInline(admin.TabularInline):
    model = Unit
    fields = ("name", "capacity", "includes_meal", "position")
    extra = 0


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = (
            "name",
            "pattern",
            "position",
            "active",
            "schools",
            "min_age",
            "max_age",
            "booking_rule",
            "cancel_rule",
            "booking_opens_at",
            "enrolment_needs_validation",
        )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_age"), cleaned.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("L'âge maximum est inférieur à l'âge minimum."))
        return cleaned


@admin.register(Activity)
class ActivityAdmin(HistoryWithInlinesAdmin):
    form = ActivityForm
    list_display = ("name", "pattern", "school_names", "booking_rule", "cancel_rule", "active")
    list_filter = ("active", "pattern")
    list_select_related = ("booking_rule", "cancel_rule")
    search_fields = ("name",)
    filter_horizontal = ("schools",)
    inlines = [UnitInline]
    fieldsets = (
        (None, {"fields": ("name", "pattern", "position", "active")}),
        (_("Pour qui"), {"fields": ("schools", ("min_age", "max_age"))}),
        (
            _("Règles"),
            {
                "fields": (
                    "booking_rule",
                    "cancel_rule",
                    "booking_opens_at",
                    "enrolment_needs_validation",
                )
            },
        ),
    )

    def get_queryset(self, request):
        schools = Prefetch("schools", queryset=School.objects.only("name"))
        return super().get_queryset(request).prefetch_related(schools)

    @admin.display(description=_("écoles"))
    def school_names(self, activity: Activity) -> str:
        return ", ".join(school.name for school in activity.schools.all()) or "Toutes"


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ("activity", "start", "end", "reason")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("La fin de la fermeture précède son début."))
        return cleaned


@admin.register(Closure)
class ClosureAdmin(SimpleHistoryAdmin):
    form = ClosureForm
    list_display = ("reason", "activity_name", "start", "end")
    list_filter = ("activity",)
    list_select_related = ("activity",)
    search_fields = ("reason",)
    date_hierarchy = "start"

    @admin.display(description=_("activité"), ordering="activity__name")
    def activity_name(self, closure: Closure) -> str:
        return closure.activity.name if closure.activity else "Toutes les activités"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.base_fields["reason"].help_text = _(
            "Les réservations déjà faites ne sont pas annulées ici : pour une grève ou une "
            "fermeture annoncée aux familles, utilisez « Annuler une journée pour tous »."
        )
        return form


@admin.register(Enrolment)
class EnrolmentAdmin(DecisionAdminMixin, admin.ModelAdmin):
    decision_noun, decision_noun_plural = _("inscription"), _("inscriptions")
    decision_the = _("L'inscription")
    refuse_help_text = _("Envoyé à chaque famille dans sa boîte de réception.")
    decision_select_related = ("child__family", "activity", "school_year")
    list_display = (
        "child",
        "school",
        "activity",
        "school_year",
        "status",
        "requested_at",
        "decided_by",
    )
    list_filter = ("status", "activity", "school_year")
    list_select_related = ("child__school", "activity", "school_year", "decided_by")
    search_fields = ("child__last_name", "child__first_name", "child__family__name")
    autocomplete_fields = ("child",)
    actions = ["validate_selected", "refuse_selected"]
    readonly_fields = ("requested_by", "requested_at", "decided_by", "decided_at", "reason")

    @admin.display(description=_("école"), ordering="child__school__name")
    def school(self, enrolment: Enrolment) -> str:
        return enrolment.child.school.name if enrolment.child.school_id else "—"

    def get_fields(self, request, obj=None):
        if obj is None:  # staff enrol a child; a decision is made with the list's actions
            return ("child", "activity", "school_year")
        return ("child", "activity", "school_year", "status", *self.readonly_fields)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("child", "activity", "school_year", "status", *self.readonly_fields)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.requested_by = request.user
        super().save_model(request, obj, form, change)

    # --- decisions (portail.lib.decision_admin) --------------------------------------------

    def decide_rows(self, request, rows, *, status, reason=""):
        ids = [enrolment.pk for enrolment in rows]
        if status == Enrolment.APPROVED:
            decision = enrolments.validate(enrolment_ids=ids, by=request.user)
        else:
            decision = enrolments.refuse(enrolment_ids=ids, by=request.user, reason=reason)
        return Outcome(decided=len(decision.decided))

    def refuse_line(self, enrolment: Enrolment) -> str:
        return f"{enrolment.child} — {enrolment.activity.name} ({enrolment.school_year})"

    @admin.action(description=_("Valider les inscriptions"), permissions=["change"])
    def validate_selected(self, request, queryset):
        self.approve_rows(request, queryset)

    @admin.action(description=_("Refuser"), permissions=["change"])
    def refuse_selected(self, request, queryset):
        return self.refuse_rows(request, queryset)


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read here; made, cancelled and pointed through the staff pages below."""

    list_display = (
        "day",
        "child",
        "school",
        "activity",
        "unit_name",
        "status",
        "by_staff",
        "after_deadline",
        "unbooked",
        "created_by",
    )
    list_filter = ("activity", "unit", "day", "status", "by_staff", "unbooked")
    list_select_related = ("child__school", "activity", "unit", "created_by")
    search_fields = ("child__last_name", "child__first_name", "child__family__name")
    date_hierarchy = "day"
    change_list_template = "admin/reservations/booking/change_list.html"

    @admin.display(description=_("école"), ordering="child__school__name")
    def school(self, booking: Booking) -> str:
        return booking.child.school.name if booking.child.school_id else "—"

    @admin.display(description=_("unité"), ordering="unit__name")
    def unit_name(self, booking: Booking) -> str:
        return booking.unit.name

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "liste-du-jour/",
                view(staff_views.daily_list_view),
                name="reservations_daily_list",
            ),
            path(
                "liste-du-jour/csv/",
                view(staff_views.daily_list_csv_view),
                name="reservations_daily_list_csv",
            ),
            path(
                "liste-du-jour/pdf/",
                view(staff_views.daily_list_pdf_view),
                name="reservations_daily_list_pdf",
            ),
            path("pointage/", view(staff_views.attendance_view), name="reservations_attendance"),
            path(
                "pour-une-famille/",
                view(staff_views.on_behalf_view),
                name="reservations_on_behalf",
            ),
            path(
                "annuler-une-journee/",
                view(staff_views.cancel_day_view),
                name="reservations_cancel_day",
            ),
            *super().get_urls(),
        ]


@admin.register(DayCount)
class DayCountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The day's counters: places taken, and what was sent to the kitchen once frozen."""

    list_display = ("day", "activity", "unit_name", "booked", "frozen_at", "frozen_count")
    list_filter = ("unit__activity", ("frozen_at", admin.EmptyFieldListFilter))
    list_select_related = ("unit__activity",)
    date_hierarchy = "day"

    @admin.display(description=_("activité"), ordering="unit__activity__name")
    def activity(self, count: DayCount) -> str:
        return count.unit.activity.name

    @admin.display(description=_("unité"), ordering="unit__name")
    def unit_name(self, count: DayCount) -> str:
        return count.unit.name


from . import absence_admin  # noqa: E402, F401 — registers MedicalAbsence
