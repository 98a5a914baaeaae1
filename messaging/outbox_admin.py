"""« E-mails sortants » in the admin: read-only, for supporting families.

Staff see to whom a mail went, its subject, its state and the last error — never edit it.
The body of a mail that carries a one-time link (a password reset) is shown to nobody,
superusers included, and is not searchable.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from portail.admin_mixins import ReadOnlyAdminMixin

from .models import EmailStatus, OutgoingEmail, readable_emails


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "to",
        "subject",
        "status",
        "attempts",
        "short_error",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "contains_secret", "created_at", "sent_at")
    search_fields = ("to", "subject")  # never the body: it may hold a link
    date_hierarchy = "created_at"
    fields = (
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
        "message",
        "contains_secret",
        "content",
    )
    readonly_fields = fields
    actions = ["retry_now"]

    # Nobody writes or rewrites an e-mail here; only a superuser may delete one.
    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_retry_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def get_queryset(self, request):
        # The list never loads the bodies it does not show, nor the copies of a contact
        # thread this user does not read (their subjects name the thread's).
        emails = super().get_queryset(request).defer("body_text", "body_html")
        return readable_emails(emails, request.user)

    @admin.display(description=_("dernière erreur"))
    def short_error(self, email: OutgoingEmail) -> str:
        return Truncator(email.last_error).chars(80)

    @admin.display(description=_("texte"))
    def content(self, email: OutgoingEmail) -> str:
        if email.contains_secret:
            return str(OutgoingEmail.HIDDEN_CONTENT)
        return email.body_text

    @admin.action(description=_("Réessayer l'envoi au prochain passage"), permissions=["retry"])
    def retry_now(self, request, queryset):
        count = queryset.exclude(status=EmailStatus.SENT).update(
            status=EmailStatus.PENDING, next_attempt_at=timezone.now()
        )
        self.message_user(request, _("%(n)d e-mail(s) remis en file d'attente.") % {"n": count})
