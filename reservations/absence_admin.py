"""Staff decide the medical absences families report: accepted days are not billed.

The certificate, the family's comment and the reason of a refusal are health data: only
staff allowed to see health data read them (each look and download logged), and only
they decide — deciding means reading the certificate. Others see who is absent when, and
the state of the absence.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from children.health_access import may_see_health, record_access, record_document_access
from children.models import HealthAccess
from messaging.files import serve_private
from portail.lib.decision_admin import DecisionAdminMixin, Outcome
from portail.lib.restricted import RESERVED, refused

from .absences import decide_absence, period_label
from .models import MedicalAbsence


@admin.register(MedicalAbsence)
class MedicalAbsenceAdmin(DecisionAdminMixin, admin.ModelAdmin):
    decision_noun, decision_noun_plural = _("absence"), _("absences")
    decision_the = _("L'absence")
    # Written about a medical certificate, the reason is read on the family's own page.
    refuse_consequence = _(
        "Ses jours restent facturés ; chaque famille est prévenue dans sa boîte de réception "
        "et lit le motif dans « Mes absences »."
    )
    refuse_help_text = _("La famille le lit dans « Mes absences » sur le portail.")
    decision_select_related = ("child__family",)
    list_display = ("child", "family", "start", "end", "requested_at", "status", "certificate_link")
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
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
        "reason",
    )
    readonly_fields = fields
    # What staff without the health permission see: no comment, certificate nor reason.
    reserved_fields = (
        "child",
        "start",
        "end",
        "reserved",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
    )

    def has_add_permission(self, request):
        return False  # families report absences from the portal

    def has_decide_permission(self, request):
        return self.has_change_permission(request) and may_see_health(request.user)

    @admin.display(description=_("famille"), ordering="child__family__name")
    def family(self, absence: MedicalAbsence) -> str:
        return absence.child.family.name

    @admin.display(description=_("certificat médical"))
    def certificate_link(self, absence: MedicalAbsence) -> str:
        if absence.certificate_id is None:
            return "—"
        url = reverse("admin:reservations_medicalabsence_certificate", args=[absence.pk])
        return format_html('<a href="{}">{}</a>', url, _("Télécharger le certificat"))

    @admin.display(description=_("certificat médical"))
    def certificate_reserved(self, absence: MedicalAbsence) -> str:
        return _("Reçu") if absence.certificate_id else "—"

    @admin.display(description=_("certificat, commentaire et motif"))
    def reserved(self, absence: MedicalAbsence) -> str:
        return RESERVED

    def get_list_display(self, request):
        if may_see_health(request.user):
            return self.list_display
        return (*self.list_display[:-1], "certificate_reserved")

    def get_fields(self, request, obj=None):
        return self.fields if may_see_health(request.user) else self.reserved_fields

    def get_readonly_fields(self, request, obj=None):
        return self.get_fields(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        absence = (getattr(response, "context_data", None) or {}).get("original")
        if response.status_code == 200 and absence is not None and may_see_health(request.user):
            record_access(
                staff=request.user,
                child_ids=[absence.child_id],
                action=HealthAccess.Action.VIEW,
                document_id=absence.certificate_id,
            )
        return response

    # --- the certificate -----------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/certificat/",
                self.admin_site.admin_view(self.certificate_view),
                name="reservations_medicalabsence_certificate",
            ),
            *super().get_urls(),
        ]

    def certificate_view(self, request, pk: int):
        """GET: the certificate, for the health staff only; logged against the child."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        absence = get_object_or_404(MedicalAbsence.objects.select_related("certificate"), pk=pk)
        if not may_see_health(request.user):
            return refused(
                request,
                title=_("Certificat médical"),
                detail=(
                    f"{RESERVED} Le certificat d'une absence médicale est une donnée de santé : "
                    "seuls les agents de ce groupe l'ouvrent et décident de l'absence. Aucun "
                    "fichier n'a été envoyé."
                ),
                back_url=reverse("admin:reservations_medicalabsence_changelist"),
            )
        document = absence.certificate
        if document is None:
            raise Http404("La famille a retiré ce certificat.")
        record_document_access(staff=request.user, document=document, child_ids=[absence.child_id])
        return serve_private(document.file, name=document.name, content_type=document.content_type)

    # --- decisions (portail.lib.decision_admin) --------------------------------------------

    def decide_rows(self, request, rows, *, status, reason=""):
        accepted = status == MedicalAbsence.APPROVED
        return Outcome(
            decided=sum(
                decide_absence(absence=a, accepted=accepted, by=request.user, reason=reason)
                for a in rows
            )
        )

    def refuse_line(self, absence: MedicalAbsence) -> str:
        return f"{absence.child} — {period_label(absence.start, absence.end)}"

    @admin.action(description=_("Accepter (jours non facturés)"), permissions=["decide"])
    def accept_selected(self, request, queryset):
        self.approve_rows(request, queryset)

    @admin.action(description=_("Refuser"), permissions=["decide"])
    def refuse_selected(self, request, queryset):
        return self.refuse_rows(request, queryset)
