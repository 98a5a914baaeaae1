from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import (
    change_request_admin,  # noqa: F401 — registers « Demandes de modification »
    security_admin,  # noqa: F401 — registers « Journal de sécurité »
    staff_admin,  # noqa: F401 — registers « Comptes du personnel » and « Groupes »
)
from .family_messages import write_to_families
from .letter_admin import print_access_letters
from .models import ChangeStatus, Family, Guardian, ParentLogin, User


def keep_a_family_login(login: User) -> None:
    """Whatever was posted, a login saved by a clerk stays a family's login without privilege;
    a new one cannot log in before its access letter is printed."""
    login.is_staff = False
    login.is_superuser = False
    if login.pk is None:
        login.set_unusable_password()


class LoginInline(admin.TabularInline):
    # The proxy's manager leaves staff accounts out: they are never listed nor saved here.
    model = ParentLogin
    fk_name = "family"
    verbose_name = _("identifiant de connexion")
    verbose_name_plural = _("identifiants de connexion (un par responsable)")
    fields = (
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "must_change_password",
        "last_login",
    )
    readonly_fields = ("must_change_password", "last_login")
    extra = 0
    show_change_link = True


class GuardianInline(admin.StackedInline):
    model = Guardian
    fields = (
        ("first_name", "last_name", "relationship"),
        ("mobile_phone", "home_phone", "work_phone"),
        ("email", "employer", "can_be_billed"),
    )
    extra = 0
    show_change_link = True  # its own page has the « Historique »


@admin.register(Family)
class FamilyAdmin(SimpleHistoryAdmin):
    list_display = ("name", "city", "phone", "email", "login_count")
    search_fields = ("name", "email", "city", "logins__username")
    inlines = [GuardianInline, LoginInline]
    actions = ["print_access_letters", write_to_families]
    readonly_fields = ("change_requests",)
    formfield_overrides = {models.DecimalField: {"localize": True}}  # « 612,50 »
    fieldsets = (
        (None, {"fields": ("name", "change_requests")}),
        (_("Adresse"), {"fields": ("address_line1", "address_line2", "postal_code", "city")}),
        (_("Contact"), {"fields": ("phone", "email", "email_notifications")}),
        (
            _("Allocations et quotient familial"),
            {
                "fields": (
                    ("regime", "allocataire_number"),
                    "quotient",
                    ("quotient_valid_from", "quotient_valid_until"),
                    "quotient_document",
                ),
                "description": _(
                    "Sans quotient valable à la date du service, le tarif le plus élevé s'applique."
                ),
            },
        ),
        (_("Facturation"), {"fields": ("billing_guardian",)}),
    )

    add_fieldsets = (
        (None, {"fields": ("name",)}),
        (_("Adresse"), {"fields": ("address_line1", "address_line2", "postal_code", "city")}),
        (
            _("Contact"),
            {
                "fields": ("phone", "email"),
                "description": _(
                    "Une fois la famille enregistrée, ajoutez ses responsables légaux, son "
                    "quotient familial et le responsable facturé."
                ),
            },
        ),
    )

    # A family is created first, with its logins; guardians, quotient and billing come next
    # (the billed guardian is chosen among the family's guardians).
    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj else self.add_fieldsets

    def get_inlines(self, request, obj):
        return self.inlines if obj else [LoginInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # Only this family's guardians and documents can be picked (none before it exists).
        if "billing_guardian" in form.base_fields:
            form.base_fields["billing_guardian"].queryset = Guardian.objects.filter(
                family_id=obj.pk if obj else None
            )
        if "quotient_document" in form.base_fields:
            field = form.base_fields["quotient_document"]
            field.queryset = field.queryset.filter(family_id=obj.pk if obj else None)
        return form

    @admin.display(description=_("demandes de modification"))
    def change_requests(self, family: Family) -> str:
        if family.pk is None:
            return "—"
        pending = family.change_requests.filter(status=ChangeStatus.PENDING).count()
        url = reverse("admin:accounts_changerequest_changelist")
        return format_html(
            '<a href="{}?famille={}">{}</a>',
            url,
            family.pk,
            _("%(n)d en attente — voir toutes ses demandes") % {"n": pending},
        )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_login_count=Count("logins", filter=Q(logins__is_active=True)))
        )

    @admin.display(description=_("identifiants actifs"), ordering="_login_count")
    def login_count(self, family: Family) -> int:
        return family._login_count

    def save_formset(self, request, form, formset, change):
        if formset.model is not ParentLogin:
            return super().save_formset(request, form, formset, change)
        for login in formset.save(commit=False):
            keep_a_family_login(login)
            login.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    @admin.action(
        description=_("Imprimer le courrier d'accès (nouveau mot de passe provisoire)"),
        permissions=["change"],
    )
    def print_access_letters(self, request, queryset):
        return print_access_letters(
            self,
            request,
            queryset,
            logins=User.objects.filter(family__in=queryset),
            families=list(queryset),
        )


class ParentLoginForm(forms.ModelForm):
    class Meta:
        model = ParentLogin
        fields = ("username", "first_name", "last_name", "email", "is_active", "family")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "family" in self.fields:  # not on a read-only page
            self.fields["family"].required = True  # a login without a family is no one's

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        taken = User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Cet identifiant est déjà pris."))
        return username


@admin.register(ParentLogin)
class ParentLoginAdmin(admin.ModelAdmin):
    """« Identifiants famille »: the families' logins, with no privilege and no password.

    A clerk never sets nor sees a password: they print a new access letter, whose
    temporary password exists only in the PDF.
    """

    form = ParentLoginForm
    list_display = (
        "username",
        "last_name",
        "first_name",
        "family",
        "email",
        "is_active",
        "must_change_password",
        "last_login",
    )
    list_filter = ("is_active", "must_change_password")
    list_select_related = ("family",)
    search_fields = ("username", "first_name", "last_name", "email", "family__name")
    autocomplete_fields = ("family",)
    ordering = ("family__name", "username")
    fields = (
        "username",
        ("first_name", "last_name"),
        "email",
        "is_active",
        "family",
        "must_change_password",
        "temporary_password_expires_at",
        "last_login",
    )
    readonly_fields = ("must_change_password", "temporary_password_expires_at", "last_login")
    actions = ["print_access_letter"]

    def save_model(self, request, obj, form, change):
        keep_a_family_login(obj)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Imprimer un nouveau courrier d'accès"), permissions=["change"])
    def print_access_letter(self, request, queryset):
        logins = list(queryset.select_related("family"))
        families = list({login.family_id: login.family for login in logins}.values())
        return print_access_letters(self, request, queryset, logins=queryset, families=families)


@admin.register(Guardian)
class GuardianAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "relationship", "family", "mobile_phone", "email")
    list_select_related = ("family",)
    search_fields = ("last_name", "first_name", "email", "family__name")
    autocomplete_fields = ("family",)
    fields = (
        "family",
        ("first_name", "last_name", "relationship"),
        ("mobile_phone", "home_phone", "work_phone"),
        ("email", "employer", "can_be_billed"),
    )
