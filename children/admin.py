from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portail.lib.csv_export import csv_response

from .diets_export import diets_csv
from .fiche_sanitaire import health_sheets_html, health_sheets_pdf
from .health_access import record_access
from .health_admin import VIEW_HEALTH, HealthInline, shows_health
from .models import AuthorisedPerson, Child, Consents, Health, HealthAccess, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ("name", "address")
    search_fields = ("name",)


class AuthorisedPersonInline(admin.TabularInline):
    model = AuthorisedPerson
    fields = (
        "first_name",
        "last_name",
        "relationship",
        "phone",
        "can_pick_up",
        "emergency_contact",
    )
    extra = 0
    show_change_link = True  # its own page has the « Historique »


class ConsentsInline(admin.StackedInline):
    model = Consents
    fields = (("image_rights", "outings", "transport"), ("emergency_care", "leave_alone"))
    can_delete = False
    max_num = 1
    show_change_link = True


@admin.register(Child)
class ChildAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "birth_date", "school", "school_class", "family")
    list_filter = ("school", "school_class")
    list_select_related = ("school", "family")
    search_fields = ("first_name", "last_name", "family__name")
    autocomplete_fields = ("family", "school")
    inlines = [AuthorisedPersonInline, ConsentsInline, HealthInline]
    actions = ["print_health_sheets", "export_diets"]
    change_form_template = "admin/children/child/change_form.html"
    change_list_template = "admin/children/child/change_list.html"

    def has_health_permission(self, request) -> bool:
        return self.has_view_permission(request) and request.user.has_perm(VIEW_HEALTH)

    def _require_health(self, request) -> None:
        if not self.has_health_permission(request):
            raise PermissionDenied

    # --- every display of health data is logged ------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        if response.status_code == 200 and shows_health(context.get("inline_admin_formsets", [])):
            record_access(
                staff=request.user,
                child_ids=[context["original"].pk],
                action=HealthAccess.Action.VIEW,
            )
        return response

    def save_formset(self, request, form, formset, change):
        health_changed = formset.model is Health and formset.has_changed()
        super().save_formset(request, form, formset, change)
        if health_changed:
            record_access(
                staff=request.user, child_ids=[form.instance.pk], action=HealthAccess.Action.CHANGE
            )

    # --- fiche sanitaire and the kitchen's list ------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/fiche-sanitaire/",
                view(self.health_sheet_view),
                name="children_child_health_sheet",
            ),
            path("export-regimes/", view(self.diets_export_view), name="children_child_diets"),
            *super().get_urls(),
        ]

    def _sheets_response(self, request, children, filename: str, disposition: str):
        if request.GET.get("html"):
            return HttpResponse(health_sheets_html(children=children, by=request.user))
        response = HttpResponse(
            health_sheets_pdf(children=children, by=request.user), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
        return response

    def health_sheet_view(self, request, pk: int):
        """GET: the child's fiche sanitaire as a PDF (`?html=1`: its HTML)."""
        self._require_health(request)
        child = get_object_or_404(self.get_queryset(request), pk=pk)
        name = slugify(f"fiche-sanitaire-{child.first_name}-{child.last_name}")
        return self._sheets_response(
            request, Child.objects.filter(pk=child.pk), f"{name}.pdf", "inline"
        )

    @admin.action(description=_("Imprimer les fiches sanitaires (PDF)"), permissions=["health"])
    def print_health_sheets(self, request, queryset):
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return self._sheets_response(
            request, queryset, f"fiches-sanitaires-{stamp}.pdf", "attachment"
        )

    def _csv_response(self, request, children, label: str) -> HttpResponse:
        stamp = timezone.localdate().strftime("%Y%m%d")
        return csv_response(
            diets_csv(children=children, by=request.user), filename=f"regimes-{label}-{stamp}.csv"
        )

    def diets_export_view(self, request):
        """GET: the list the page shows (same filters and search), as the kitchen's CSV."""
        self._require_health(request)
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:  # a filter edited by hand: back to the list
            return HttpResponseRedirect(reverse("admin:children_child_changelist") + "?e=1")
        school = changelist.get_filters_params().get("school__id__exact")
        label = "enfants"
        if school:
            label = slugify(School.objects.filter(pk=school[-1]).first() or "enfants")
        return self._csv_response(request, changelist.get_queryset(request), label)

    @admin.action(description=_("Exporter régimes, allergies et PAI (CSV)"), permissions=["health"])
    def export_diets(self, request, queryset):
        return self._csv_response(request, queryset, "selection")


@admin.register(AuthorisedPerson)
class AuthorisedPersonAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "relationship", "phone", "child")
    list_filter = ("can_pick_up", "emergency_contact")
    list_select_related = ("child",)
    search_fields = ("last_name", "first_name", "child__last_name", "child__first_name")
    autocomplete_fields = ("child",)


@admin.register(Consents)
class ConsentsAdmin(SimpleHistoryAdmin):
    list_display = ("child", "image_rights", "outings", "transport", "leave_alone")
    list_filter = ("image_rights", "outings", "transport", "leave_alone", "child__school")
    list_select_related = ("child",)
    search_fields = ("child__last_name", "child__first_name")
    autocomplete_fields = ("child",)
