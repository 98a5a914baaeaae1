from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (
    contact_admin,  # noqa: F401
    outbox_admin,  # noqa: F401 — registers « E-mails sortants »
)
from .models import Message, MessageAttachment
from .services import notify


class AttachmentInline(admin.TabularInline):
    model = MessageAttachment
    extra = 0
    fields = ("name", "content_type", "file")
    readonly_fields = ("name", "content_type", "file")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "kind", "sender", "created_at", "is_read")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter), "created_at")
    list_select_related = ("recipient",)
    search_fields = ("subject", "body")
    autocomplete_fields = ("recipient",)
    date_hierarchy = "created_at"
    inlines = [AttachmentInline]
    fields = ("recipient", "kind", "sender", "subject", "body", "link_url", "link_label")

    @admin.display(description=_("lu"), boolean=True, ordering="read_at")
    def is_read(self, message: Message) -> bool:
        return message.read_at is not None

    def get_readonly_fields(self, request, obj=None):
        # A message sent is part of the family's record: it is not rewritten afterwards.
        return self.fields if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return
        sent = notify(
            obj.recipient,
            obj.kind,
            obj.subject,
            obj.body,
            link=obj.link_url,
            link_label=obj.link_label,
            sender=obj.sender,
        )
        obj.pk = sent.pk
        obj.created_at = sent.created_at


from . import publication_admin as publication_admin  # noqa: E402 — registers its admins
from . import upload_admin  # noqa: F401, E402
