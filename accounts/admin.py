from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, Q
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .family_messages import write_to_families
from .letters import issue_access_letters
from .models import Family, User


class LoginInline(admin.TabularInline):
    model = User
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


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ("name", "city", "phone", "email", "login_count")
    search_fields = ("name", "email", "city", "logins__username")
    inlines = [LoginInline]
    actions = ["print_access_letters", write_to_families]
    fieldsets = (
        (None, {"fields": ("name",)}),
        (_("Adresse"), {"fields": ("address_line1", "address_line2", "postal_code", "city")}),
        (_("Contact"), {"fields": ("phone", "email")}),
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
        logins = formset.save(commit=False)
        for login in logins:
            if login.pk is None:
                # A new login can be used only once its access letter is printed.
                login.set_unusable_password()
            login.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    @admin.action(
        description=_("Imprimer le courrier d'accès (nouveau mot de passe provisoire)"),
        permissions=["change"],
    )
    def print_access_letters(self, request, queryset):
        families = list(queryset.prefetch_related("logins"))
        if request.POST.get("confirm") != "yes":
            return TemplateResponse(
                request,
                "admin/accounts/family/access_letter_confirm.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Imprimer le courrier d'accès"),
                    "families": families,
                    "days": settings.TEMPORARY_PASSWORD_DAYS,
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        portal_url = settings.PORTAL_URL or request.build_absolute_uri("/")
        pdf, count = issue_access_letters(families=queryset, by=request.user, portal_url=portal_url)
        if not count:
            self.message_user(
                request,
                _("Aucun identifiant actif dans la sélection : rien à imprimer."),
                messages.WARNING,
            )
            return None
        response = HttpResponse(pdf, content_type="application/pdf")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response["Content-Disposition"] = f'attachment; filename="courriers-acces-{stamp}.pdf"'
        return response


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "family",
        "is_staff",
        "is_active",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "must_change_password", "groups")
    list_select_related = ("family",)
    search_fields = ("username", "first_name", "last_name", "email", "family__name")
    autocomplete_fields = ("family",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Famille"),
            {"fields": ("family", "must_change_password", "temporary_password_expires_at")},
        ),
    )
    readonly_fields = ("temporary_password_expires_at", "last_login", "date_joined")
