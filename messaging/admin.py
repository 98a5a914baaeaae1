from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import (
    contact_admin,  # noqa: F401
    outbox_admin,  # noqa: F401 — registers « E-mails sortants »
)
from .files import serve_private
from .models import Message, MessageAttachment, readable_messages
from .services import notify


class AttachmentInline(admin.TabularInline):
    model = MessageAttachment
    extra = 0
    # A private file has no public address (storage.py): it is downloaded through the
    # message's own admin page, which checks the permission to view the message.
    fields = ("name", "content_type", "download")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("fichier"))
    def download(self, attachment: MessageAttachment) -> str:
        if attachment.pk is None:  # a form that is no attachment (a tampered formset)
            return "—"
        url = reverse(
            "admin:messaging_message_attachment", args=[attachment.message_id, attachment.pk]
        )
        return format_html('<a href="{}">Télécharger {}</a>', url, attachment.name)


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "kind", "sender", "created_at", "is_read")
    list_filter = ("kind", ("read_at", admin.EmptyFieldListFilter), "created_at")
    link_lookups = ("broadcast",)  # « voir les messages envoyés » on a broadcast's page
    list_select_related = ("recipient",)
    search_fields = ("subject", "body")
    autocomplete_fields = ("recipient",)
    date_hierarchy = "created_at"
    inlines = [AttachmentInline]
    fields = ("recipient", "kind", "sender", "subject", "body", "link_url", "link_label")

    def get_queryset(self, request):
        # An answer's notice carries the answer: only whoever reads its thread reads it.
        return readable_messages(super().get_queryset(request), request.user)

    @admin.display(description=_("lu"), boolean=True, ordering="read_at")
    def is_read(self, message: Message) -> bool:
        return message.read_at is not None

    def get_urls(self):
        return [
            path(
                "<int:message_pk>/pieces/<int:attachment_pk>/",
                self.admin_site.admin_view(self.attachment_view),
                name="messaging_message_attachment",
            ),
            *super().get_urls(),
        ]

    def attachment_view(self, request, message_pk: int, attachment_pk: int):
        """GET: a message's attachment, for staff who may read the message."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        message = get_object_or_404(self.get_queryset(request), pk=message_pk)
        attachment = get_object_or_404(message.attachments, pk=attachment_pk)
        return serve_private(
            attachment.file, name=attachment.name, content_type=attachment.content_type
        )

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
