"""« Journal de sécurité » in the admin: read-only, and for superusers only."""

from django.contrib import admin

from portail.admin_mixins import ReadOnlyAdminMixin

from .models import SecurityEvent


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "kind", "username", "actor", "target", "ip_address", "detail")
    list_filter = ("kind", "at")
    list_select_related = ("actor", "target")
    search_fields = ("username", "actor__username", "target__username", "ip_address")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in SecurityEvent._meta.fields]

    # Nobody edits a log; only superusers read it (no group is granted its permissions).
    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)
