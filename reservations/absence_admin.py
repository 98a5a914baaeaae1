"""Staff decide the medical absences families report: accepted days are not billed.

The certificate, the family's comment and the reason of a refusal are health data: only
staff allowed to see health data read them (each look and download logged), and only
they decide — deciding means reading the certificate. Others see who is absent when, and
the state of the absence.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from children.health_access import may_see_health, record_access, record_document_access
from children.models import HealthAccess
from messaging.files import serve_private
from portail.lib.restricted import RESERVED, refused

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
    # What staff without the health permission see: no comment, certificate nor reason.
    reserved_fields = (
        "child",
        "start",
        "end",
        "reserved",
        "reported_by",
        "reported_at",
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

    # --- decisions -----------------------------------------------------------------------

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

    @admin.action(description=_("Accepter (jours non facturés)"), permissions=["decide"])
    def accept_selected(self, request, queryset):
        self._decide(request, list(queryset.select_related("child__family")), accepted=True)

    @admin.action(description=_("Refuser"), permissions=["decide"])
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
