"""« Double authentification du personnel » in the admin: superusers reset a lost phone.

django-otp's own device admins are taken off the site: they would show keys and recovery
codes and let a device be edited by hand. Here a superuser sees who enrolled and when,
and resets (the devices are deleted, the person enrols again); each reset is logged.
"""

from contextlib import suppress

from django.contrib import admin, messages
from django.contrib.admin.exceptions import NotRegistered
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from portail.admin_mixins import ReadOnlyAdminMixin

from . import two_factor
from .models import StaffSecondFactor

for model in (TOTPDevice, StaticDevice):
    with suppress(NotRegistered):
        admin.site.unregister(model)


@admin.register(StaffSecondFactor)
class StaffSecondFactorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "confirmed", "created_at", "last_used_at", "throttling_failure_count")
    list_filter = ("confirmed",)
    list_select_related = ("user",)
    search_fields = ("user__username", "user__last_name", "user__email")
    fields = ("user", "name", "confirmed", "created_at", "last_used_at", "throttling_failure_count")
    readonly_fields = fields
    actions = ["reset_selected"]

    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request)

    @admin.action(description="Réinitialiser la double authentification (téléphone perdu)")
    def reset_selected(self, request, queryset) -> None:
        if not self.has_module_permission(request):
            return
        users = {device.user for device in queryset.select_related("user")}
        for user in users:
            two_factor.reset(request=request, user=user, by=request.user)
        names = ", ".join(sorted(user.get_username() for user in users))
        messages.success(
            request,
            f"Double authentification réinitialisée pour : {names}. À sa prochaine visite, "
            "chaque personne activera de nouveau une application.",
        )
