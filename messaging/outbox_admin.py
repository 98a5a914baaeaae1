"""« E-mails sortants » in the admin."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import EmailStatus, OutgoingEmail


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ("to", "subject", "status", "attempts", "next_attempt_at", "sent_at")
    list_filter = ("status",)
    search_fields = ("to", "subject")
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Réessayer l'envoi au prochain passage"))
    def retry_now(self, request, queryset):
        count = queryset.exclude(status=EmailStatus.SENT).update(
            status=EmailStatus.PENDING, next_attempt_at=timezone.now()
        )
        self.message_user(request, _("%(n)d e-mail(s) remis en file d'attente.") % {"n": count})
