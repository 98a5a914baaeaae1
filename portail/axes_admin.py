"""django-axes' « Access attempts » admin, whose « Clean up expired attempts » answered 500:
the action reads the attributes axes sets on a login request, which an admin page is not."""

from axes.admin import AccessAttemptAdmin
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.contrib import admin


class AccessAttemptCleanupAdmin(AccessAttemptAdmin):
    def cleanup_expired_attempts(self, request, queryset):
        AxesProxyHandler.update_request(request)
        return super().cleanup_expired_attempts(request, queryset)

    cleanup_expired_attempts.short_description = (
        AccessAttemptAdmin.cleanup_expired_attempts.short_description
    )


def register(site: admin.AdminSite) -> None:
    if isinstance(site._registry.get(AccessAttempt), AccessAttemptAdmin):
        site.unregister(AccessAttempt)
        site.register(AccessAttempt, AccessAttemptCleanupAdmin)
