"""« Demandes de modification »: staff read what a family asked and accept or refuse it.

Nothing is edited here: the page shows, per field, the value the parent saw, the value
asked for and the value on record now, and the decision goes through the service
(accounts.change_requests), which applies, validates again and tells the family.
"""

from django.contrib import admin, messages
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.db import models
from django.db.models import Case, Value, When
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portail.admin_mixins import ReadOnlyAdminMixin
from portail.lib.decision_admin import DecisionAdminMixin, Outcome
from portail.lib.formats import long_date
from portail.lib.restricted import RESERVED, refused

from . import change_requests as service
from .models import ChangeRequest, ChangeStatus, Family

DECIDE_PERMISSION = "accounts.change_changerequest"


# --- requests about confidential records (registered by their app: children for health) ---

restriction_of = service.restriction_of


def may_view(user, change_request: ChangeRequest) -> bool:
    rule = restriction_of(change_request)
    return rule is None or user.has_perm(rule.view)


def may_decide(user, change_request: ChangeRequest) -> bool:
    """Deciding a confidential request means reading it first: nobody accepts one blind."""
    rule = restriction_of(change_request)
    return user.has_perm(DECIDE_PERMISSION) and (
        rule is None or (user.has_perm(rule.view) and user.has_perm(rule.decide))
    )


def explain(error: ValidationError, model: type[models.Model]) -> list[str]:
    """The French messages of a validation error, each with the label of its field."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    lines = []
    for name, errors in error.message_dict.items():
        try:
            label = str(model._meta.get_field(name).verbose_name).capitalize()
        except FieldDoesNotExist:  # a non-field error has no field to name
            label = None
        for message in errors:
            lines.append(f"{label} : {message}" if label and name != NON_FIELD_ERRORS else message)
    return lines


# --- the list ----------------------------------------------------------------------------


class FamilyFilter(admin.SimpleListFilter):
    """Shown once a family is chosen (from the « famille » column or its record)."""

    title = _("famille")
    parameter_name = "famille"

    def lookups(self, request, model_admin):
        value = self.value()
        if not (value and value.isdigit()):
            return []
        name = Family.objects.filter(pk=value).values_list("name", flat=True).first()
        return [(value, name)] if name else []

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(family_id=value)
        return queryset


class SectionFilter(admin.SimpleListFilter):
    title = _("rubrique")
    parameter_name = "rubrique"

    def lookups(self, request, model_admin):
        keys = ChangeRequest.objects.order_by().values_list("section", flat=True).distinct()
        return sorted(
            ((key, service.section_title(key)) for key in keys), key=lambda choice: choice[1]
        )

    def queryset(self, request, queryset):
        return queryset.filter(section=self.value()) if self.value() else queryset


class ChangeRequestAdmin(DecisionAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    refuse_consequence = _(
        "Chaque famille reçoit le motif dans sa boîte de réception ; ses fiches restent inchangées."
    )
    decision_select_related = ("content_type", "family")
    list_display = ("label", "family_link", "requested_at", "status", "decided_by")
    list_filter = (
        "status",
        FamilyFilter,
        SectionFilter,
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "requested_at",
    )
    list_select_related = ("family", "decided_by")
    search_fields = ("label", "family__name")
    # Pending requests first, the newest on top.
    ordering = (
        Case(When(status=ChangeStatus.PENDING, then=Value(0)), default=Value(1)),
        "-requested_at",
        "-pk",
    )
    fieldsets = (
        (
            _("Suivi de la demande"),
            {
                "fields": (
                    "family",
                    "label",
                    "section_display",
                    "record",
                    "requested_by",
                    "requested_at",
                    "status",
                    "decided_by",
                    "decided_at",
                    "reason",
                )
            },
        ),
    )
    readonly_fields = fieldsets[0][1]["fields"]
    actions = ["approve_selected", "reject_selected"]
    change_form_template = "admin/accounts/changerequest/change_form.html"

    # Requests come from families; staff decide them (ReadOnlyAdminMixin: never write them).
    def has_decide_permission(self, request):
        return request.user.has_perm(DECIDE_PERMISSION)

    # The reason staff wrote may name health values: reserved like the values themselves.
    def get_fieldsets(self, request, obj=None):
        if obj is None or may_view(request.user, obj):
            return self.fieldsets
        ((title, options),) = self.fieldsets
        fields = tuple("reason_reserved" if f == "reason" else f for f in options["fields"])
        return ((title, {**options, "fields": fields}),)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "reason_reserved")

    @admin.display(description=_("motif du refus"))
    def reason_reserved(self, change_request: ChangeRequest) -> str:
        return RESERVED if change_request.reason else "—"

    @admin.display(description=_("famille"), ordering="family__name")
    def family_link(self, change_request: ChangeRequest) -> str:
        url = reverse("admin:accounts_changerequest_changelist")
        return format_html(
            '<a href="{}?famille={}" title="{}">{}</a>',
            url,
            change_request.family_id,
            _("Les demandes de cette famille"),
            change_request.family.name,
        )

    @admin.display(description=_("rubrique"))
    def section_display(self, change_request: ChangeRequest) -> str:
        return service.section_title(change_request.section)

    @admin.display(description=_("fiche concernée"))
    def record(self, change_request: ChangeRequest) -> str:
        if change_request.is_creation:
            return _("Nouvelle fiche (%(kind)s)") % {
                "kind": change_request.content_type.model_class()._meta.verbose_name
            }
        instance = service.target(change_request)
        if instance is None:
            return _("Fiche supprimée depuis la demande")
        try:
            url = reverse(
                f"admin:{instance._meta.app_label}_{instance._meta.model_name}_change",
                args=[instance.pk],
            )
        except NoReverseMatch:
            return str(instance)
        return format_html('<a href="{}">{}</a>', url, instance)

    # --- the change page: a read-only diff and the two decisions -------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/accepter/",
                view(require_POST(self.approve_view)),
                name="accounts_changerequest_approve",
            ),
            path(
                "<int:pk>/refuser/",
                view(require_POST(self.reject_view)),
                name="accounts_changerequest_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        change_request = self.get_object(request, object_id)
        if change_request is None or not self.has_view_permission(request, change_request):
            return super().change_view(request, object_id, form_url, extra_context)
        context = self.decision_context(request, change_request)
        response = super().change_view(
            request, object_id, form_url, {**context, **(extra_context or {})}
        )
        rule = restriction_of(change_request)
        if context["values_shown"] and rule and rule.on_view and response.status_code == 200:
            rule.on_view(request, change_request, context["instance"])
        return response

    def decision_context(self, request, change_request: ChangeRequest) -> dict:
        values_shown = may_view(request.user, change_request)
        instance = service.target(change_request) if values_shown else None
        rows = service.field_changes(change_request, instance) if values_shown else []
        pending = change_request.status == ChangeStatus.PENDING
        return {
            "values_shown": values_shown,
            "instance": instance,
            "rows": rows,
            "show_current": instance is not None,
            "changed_since": [row.label for row in rows if row.changed_since] if pending else [],
            "target_missing": not change_request.is_creation and values_shown and instance is None,
            "can_decide": pending and values_shown and may_decide(request.user, change_request),
            "reject_form": self.refuse_form(),
            "approve_url": reverse(
                "admin:accounts_changerequest_approve", args=[change_request.pk]
            ),
            "reject_url": reverse("admin:accounts_changerequest_reject", args=[change_request.pk]),
        }

    def _decidable(self, request, pk: int) -> ChangeRequest:
        change_request = get_object_or_404(
            ChangeRequest.objects.select_related("content_type", "family"), pk=pk
        )
        if not may_decide(request.user, change_request):
            raise PermissionDenied
        return change_request

    def _refused(self, request, pk: int):
        """The 403 of a decision this agent may not take (a health request, most often)."""
        change_request = ChangeRequest.objects.select_related("content_type").filter(pk=pk).first()
        if change_request is not None and service.is_confidential(change_request):
            detail = (
                f"{RESERVED} Accepter ou refuser cette demande suppose d'en lire le contenu : "
                "seuls les agents de ce groupe la traitent. Rien n'a été modifié."
            )
        else:
            detail = "Vous n'avez pas le droit de traiter les demandes de modification."
        return refused(
            request,
            title=_("Décision réservée"),
            detail=detail,
            back_url=reverse("admin:accounts_changerequest_changelist"),
        )

    def _log_refusal(self, request, change_request: ChangeRequest, reason: str) -> None:
        """The admin's history is read by every clerk: a confidential reason stays out."""
        confidential = service.is_confidential(change_request)
        self.log_change(
            request, change_request, "Refusée." if confidential else f"Refusée : {reason}"
        )

    def _back_to(self, change_request: ChangeRequest) -> HttpResponseRedirect:
        return HttpResponseRedirect(
            reverse("admin:accounts_changerequest_change", args=[change_request.pk])
        )

    def _to_list(self) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:accounts_changerequest_changelist"))

    def approve_view(self, request, pk: int):
        try:
            change_request = self._decidable(request, pk)
        except PermissionDenied:
            return self._refused(request, pk)
        force = request.POST.get("force") == "1"
        try:
            service.approve(change_request=change_request, by=request.user, force=force)
        except service.NotPending as already:
            self.message_already_decided(request, already.summary)
            return self._back_to(change_request)
        except service.ChangeConflict as conflict:
            self.message_user(
                request,
                _(
                    "La fiche a été modifiée depuis la demande (%(fields)s) : rien n'a été "
                    "appliqué. Comparez avec la valeur actuelle, puis « Accepter quand même » "
                    "ou refusez."
                )
                % {"fields": ", ".join(conflict.fields)},
                messages.WARNING,
            )
            return self._back_to(change_request)
        except ValidationError as error:
            model = change_request.content_type.model_class()
            self.message_user(
                request,
                format_html(
                    "{}<ul>{}</ul>",
                    _("La demande ne peut pas être appliquée telle quelle, rien n'a été modifié :"),
                    format_html_join(
                        "", "<li>{}</li>", ((line,) for line in explain(error, model))
                    ),
                ),
                messages.ERROR,
            )
            return self._back_to(change_request)
        self.log_change(
            request,
            change_request,
            "Acceptée malgré une fiche modifiée depuis la demande." if force else "Acceptée.",
        )
        self.message_user(
            request,
            _(
                "Demande « %(label)s » acceptée : la fiche est à jour et la famille %(family)s est "
                "prévenue."
            )
            % {"label": change_request.label, "family": change_request.family.name},
        )
        return self._to_list()

    def reject_view(self, request, pk: int):
        try:
            change_request = self._decidable(request, pk)
        except PermissionDenied:
            return self._refused(request, pk)
        form = self.refuse_form(request.POST)
        if not form.is_valid():
            self.message_user(request, " ".join(form.errors["reason"]), messages.ERROR)
            return self._back_to(change_request)
        try:
            service.reject(
                change_request=change_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except service.NotPending as already:
            self.message_already_decided(request, already.summary)
            return self._back_to(change_request)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return self._back_to(change_request)
        self._log_refusal(request, change_request, form.cleaned_data["reason"])
        self.message_user(
            request,
            _("Demande « %(label)s » refusée : la famille %(family)s reçoit le motif.")
            % {"label": change_request.label, "family": change_request.family.name},
        )
        return self._to_list()

    # --- bulk decisions (portail.lib.decision_admin) ---------------------------------------

    def decide_rows(self, request, rows, *, status, reason=""):
        """Decide what can be decided as asked; conflicts and invalid ones are left pending."""
        outcome = Outcome()
        for change_request in rows:
            name = f"« {change_request.label} » ({change_request.family.name})"
            if not may_decide(request.user, change_request):
                outcome.skipped.append(
                    f"{name} : réservée aux agents habilités aux données de santé"
                )
                continue
            try:
                if status == ChangeRequest.APPROVED:
                    service.approve(change_request=change_request, by=request.user)
                else:
                    service.reject(change_request=change_request, by=request.user, reason=reason)
            except service.NotPending:
                pass  # decided by another agent meanwhile: counted with those already decided
            except service.ChangeConflict as conflict:
                outcome.skipped.append(
                    f"{name} : la fiche a changé depuis la demande ({', '.join(conflict.fields)})"
                )
            except ValidationError as error:
                model = change_request.content_type.model_class()
                outcome.skipped.append(f"{name} : {' '.join(explain(error, model))}")
            else:
                if status == ChangeRequest.APPROVED:
                    self.log_change(request, change_request, "Acceptée (action groupée).")
                else:
                    self._log_refusal(request, change_request, reason)
                outcome.decided += 1
        return outcome

    def refuse_line(self, change_request: ChangeRequest) -> str:
        asked = long_date(timezone.localtime(change_request.requested_at).date())
        return f"{change_request.label} — {change_request.family.name} ({asked})"

    @admin.action(description=_("Accepter les demandes sélectionnées"), permissions=["decide"])
    def approve_selected(self, request, queryset):
        """Approve what can be approved as asked; conflicts are never forced in bulk."""
        self.approve_rows(request, queryset)

    @admin.action(description=_("Refuser les demandes sélectionnées"), permissions=["decide"])
    def reject_selected(self, request, queryset):
        """A page asks for the reason (sent to every family), then refuses them all."""
        return self.refuse_rows(request, queryset)


admin.site.register(ChangeRequest, ChangeRequestAdmin)
