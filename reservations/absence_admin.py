"""Staff decide the medical absences families report: accepted days are not billed."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .absences import decide_absence
from .admin import RefuseForm, refuse_page
from .models import MedicalAbsence
from .models.absences import AbsenceStatus


@admin.register(MedicalAbsence)
class MedicalAbsenceAdmin(admin.ModelAdmin):
    list_display = ("child", "family", "start", "end", "reported_at", "status", "certificate_link")
    list_filter = ("status", "start")
    list_select_related = ("child__family", "certificate")
    search_fields = ("child__last_name", "child__first_name", "child__family__name")
    date_hierarchy = "start"
    actions = ["accept_selected", "refuse_selected"]
    fields = (
        "child",
        "start",
        "end",
        "comment",
        "certificate_link",
        "reported_by",
        "reported_at",
        "status",
        "decided_by",
        "decided_at",
        "reason",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # families report absences from the portal

    @admin.display(description=_("famille"), ordering="child__family__name")
    def family(self, absence: MedicalAbsence) -> str:
        return absence.child.family.name

    @admin.display(description=_("certificat médical"))
    def certificate_link(self, absence: MedicalAbsence) -> str:
        if absence.certificate_id is None:
            return "—"
        url = reverse("admin:messaging_familydocument_download", args=[absence.certificate_id])
        return format_html('<a href="{}">{}</a>', url, absence.certificate.name)

    def _decide(self, request, absences, *, accepted: bool, reason: str = "") -> None:
        decided = sum(
            decide_absence(absence=a, accepted=accepted, by=request.user, reason=reason)
            for a in absences
        )
        verb = _("acceptée(s)") if accepted else _("refusée(s)")
        self.message_user(
            request,
            _("%(n)s absence(s) %(verb)s, familles prévenues.") % {"n": decided, "verb": verb},
            messages.SUCCESS,
        )
        if skipped := len(absences) - decided:
            self.message_user(
                request,
                _("%(n)s absence(s) déjà traitée(s), laissée(s) telle(s) quelle(s).")
                % {"n": skipped},
                messages.WARNING,
            )

    @admin.action(description=_("Accepter (jours non facturés)"), permissions=["change"])
    def accept_selected(self, request, queryset):
        self._decide(request, list(queryset.select_related("child__family")), accepted=True)

    @admin.action(description=_("Refuser"), permissions=["change"])
    def refuse_selected(self, request, queryset):
        pending = list(queryset.filter(status=AbsenceStatus.PENDING).select_related("child"))
        form = RefuseForm(request.POST if "confirm" in request.POST else None)
        if pending and form.is_valid():
            self._decide(request, pending, accepted=False, reason=form.cleaned_data["reason"])
            return None
        n = len(pending)
        return refuse_page(
            request,
            self,
            form,
            title=_("Refuser des absences"),
            lines=[
                f"{a.child} — du {formats.date_format(a.start, 'j F Y')} "
                f"au {formats.date_format(a.end, 'j F Y')}"
                for a in pending
            ],
            intro=(
                "L'absence suivante sera refusée : ses jours restent facturés."
                if n == 1
                else f"Les {n} absences suivantes seront refusées : leurs jours restent facturés."
            ),
            submit_label=_("Refuser ces absences"),
            empty=_("Aucune absence en attente dans la sélection : il n'y a rien à refuser."),
        )
