"""Staff accounts, groups and permissions in the admin: superusers only, every change logged.

A clerk manages the families' logins (« Identifiants famille »); only a superuser opens
« Comptes du personnel » and « Groupes », where privileges are granted. Each change of a
privilege there — active, staff, superuser, groups, permissions, a password set — writes a
line of the security log, compared before and after the save in this admin code.
"""

from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from . import security_log
from .models import SecurityEventKind, StaffAccount, User


class SuperuserOnly:
    """Every permission of the page is the superuser flag: no group can be granted it."""

    def _is_superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request) -> bool:
        return self._is_superuser(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._is_superuser(request)

    def has_add_permission(self, request) -> bool:
        return self._is_superuser(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._is_superuser(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._is_superuser(request)


def _yes_no(value: bool) -> str:
    return "oui" if value else "non"


def _set_change(label: str, before: frozenset[str], after: frozenset[str]) -> str:
    added = [f"+{name}" for name in sorted(after - before)]
    removed = [f"−{name}" for name in sorted(before - after)]
    return f"{label} : {' '.join(added + removed)}" if added or removed else ""


@dataclass(frozen=True)
class Privileges:
    """What an account may do, as the security log compares it before and after a save."""

    is_active: bool = False
    is_staff: bool = False
    is_superuser: bool = False
    groups: frozenset[str] = field(default_factory=frozenset)
    permissions: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user_id: int | None) -> "Privileges":
        """Read from the database (a new account has none)."""
        user = User.objects.filter(pk=user_id).first() if user_id else None
        if user is None:
            return cls()
        return cls(
            is_active=user.is_active,
            is_staff=user.is_staff,
            is_superuser=user.is_superuser,
            groups=frozenset(user.groups.values_list("name", flat=True)),
            permissions=frozenset(
                f"{app_label}.{codename}"
                for app_label, codename in user.user_permissions.values_list(
                    "content_type__app_label", "codename"
                )
            ),
        )

    def changes_to(self, after: "Privileges") -> str:
        """« superutilisateur : non → oui ; groupes : +Comptabilité −Enfance Jeunesse »."""
        parts = [
            f"{label} : {_yes_no(getattr(self, name))} → {_yes_no(getattr(after, name))}"
            for name, label in (
                ("is_active", "actif"),
                ("is_staff", "membre du personnel"),
                ("is_superuser", "superutilisateur"),
            )
            if getattr(self, name) != getattr(after, name)
        ]
        parts += [
            _set_change("groupes", self.groups, after.groups),
            _set_change("permissions", self.permissions, after.permissions),
        ]
        return " ; ".join(part for part in parts if part)


@admin.register(StaffAccount)
class StaffAccountAdmin(SuperuserOnly, DjangoUserAdmin):
    """« Comptes du personnel »: Django's full user admin, for superusers alone."""

    list_display = (
        "username",
        "last_name",
        "first_name",
        "email",
        "is_superuser",
        "is_active",
        "last_login",
    )
    list_filter = ("is_superuser", "is_active", "groups")
    search_fields = ("username", "first_name", "last_name", "email")
    readonly_fields = ("last_login", "date_joined")

    def save_model(self, request, obj, form, change):
        # Read before the form's values reach the database; groups are saved in save_related.
        form.privileges_before = Privileges.of(obj.pk if change else None)
        if not change:
            obj.is_staff = True  # an account made here is a staff account
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        account = form.instance
        detail = form.privileges_before.changes_to(Privileges.of(account.pk))
        if not change:
            created = "compte créé"
            if account.has_usable_password():
                created += " ; mot de passe défini"
            detail = f"{created} ; {detail}" if detail else created
        if detail:
            security_log.record(
                kind=SecurityEventKind.PRIVILEGE_CHANGE,
                request=request,
                actor=request.user,
                target=account,
                detail=detail,
            )

    def user_change_password(self, request, id, form_url=""):
        account = self.get_object(request, unquote(id))
        before = account.password if account else None
        response = super().user_change_password(request, id, form_url)
        if account is not None:
            account.refresh_from_db(fields=["password"])
            if account.password != before:
                security_log.record(
                    kind=SecurityEventKind.PRIVILEGE_CHANGE,
                    request=request,
                    actor=request.user,
                    target=account,
                    detail="mot de passe défini"
                    if account.has_usable_password()
                    else "connexion par mot de passe désactivée",
                )
        return response


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnly, DjangoGroupAdmin):
    """The staff groups and their permissions: superusers only, each change logged."""

    def save_model(self, request, obj, form, change):
        form.permissions_before = frozenset(self._permissions_of(obj)) if change else frozenset()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        group = form.instance
        detail = _set_change(
            "permissions", form.permissions_before, frozenset(self._permissions_of(group))
        )
        if detail or not change:
            security_log.record(
                kind=SecurityEventKind.PRIVILEGE_CHANGE,
                request=request,
                actor=request.user,
                detail=f"groupe « {group.name} »"
                + (" créé" if not change else "")
                + (f" ; {detail}" if detail else ""),
            )

    def _permissions_of(self, group: Group):
        return (
            f"{app_label}.{codename}"
            for app_label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        )
