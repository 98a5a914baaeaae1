"""Health data in the admin: only for staff in « Données de santé », and every look logged.

The Health inline of a child's page is simply absent for staff without
children.view_health; with it, each display of the page writes a HealthAccess row
(view), and each saved change another (change). The log itself is readable by that
group and written by nobody.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portail.admin_mixins import ReadOnlyAdminMixin

from .health_access import CHANGE_HEALTH, VIEW_HEALTH
from .models import Diet, Health, HealthAccess

__all__ = ["CHANGE_HEALTH", "VIEW_HEALTH", "HealthInline", "shows_health"]


class HealthForm(forms.ModelForm):
    diets = forms.MultipleChoiceField(
        label=_("Régimes alimentaires"),
        choices=Diet.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Health
        fields = (
            "allergies",
            "diets",
            "pai",
            "pai_details",
            "pai_document",
            "vaccinations_up_to_date",
            "last_vaccination_date",
            "doctor_name",
            "doctor_phone",
            "treatments",
            "medical_notes",
        )


class HealthInline(admin.StackedInline):
    model = Health
    form = HealthForm
    # Staff see that opening the page is recorded.
    verbose_name = _("données de santé — chaque consultation est enregistrée")
    verbose_name_plural = verbose_name
    fieldsets = (
        (None, {"fields": ("allergies", "diets")}),  # "diets" → "diets_display" when read-only
        (_("PAI"), {"fields": ("pai", "pai_details", "pai_document")}),
        (
            _("Suivi médical"),
            {
                "fields": (
                    ("vaccinations_up_to_date", "last_vaccination_date"),
                    ("doctor_name", "doctor_phone"),
                    "treatments",
                    "medical_notes",
                )
            },
        ),
    )
    can_delete = False
    max_num = 1

    # The dedicated permission, nothing else: without it the inline is not there at all.
    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(VIEW_HEALTH) or request.user.has_perm(CHANGE_HEALTH)

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm(CHANGE_HEALTH)

    def has_add_permission(self, request, obj=None):
        # Filling in a child's first health data is changing its health data.
        return request.user.has_perm(CHANGE_HEALTH)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fieldsets(self, request, obj=None):
        if self.has_change_permission(request, obj):
            return self.fieldsets
        return ((None, {"fields": ("allergies", "diets_display")}), *self.fieldsets[1:])

    def get_readonly_fields(self, request, obj=None):
        return () if self.has_change_permission(request, obj) else ("diets_display",)

    @admin.display(description=_("régimes alimentaires"))
    def diets_display(self, health: Health) -> str:
        return ", ".join(str(label) for label in health.diet_labels) or "—"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        document = formset.form.base_fields.get("pai_document")
        if document is not None:  # only the family's own documents, by their file name
            document.queryset = document.queryset.filter(family_id=obj.family_id if obj else None)
            document.label_from_instance = lambda doc: doc.family_label  # a logged page
        return formset


def shows_health(inline_admin_formsets) -> bool:
    return any(isinstance(formset.opts, HealthInline) for formset in inline_admin_formsets)


@admin.register(HealthAccess)
class HealthAccessAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # A log: read, never written by hand.
    list_display = ("at", "staff", "child", "action", "document")
    list_filter = ("action", "at")
    list_select_related = ("staff", "child", "document")
    search_fields = ("child__last_name", "child__first_name", "staff__username")
    date_hierarchy = "at"
