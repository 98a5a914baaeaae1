"""Staff side of « Infos./Documents » and of group messages (broadcasts)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import audiences
from .broadcast_forms import AudienceFormMixin, AudienceLabels, validate_link
from .broadcasts import send_broadcast
from .files import check_upload, serve_private
from .models import Broadcast, FormDocument, News


class PublicationForm(AudienceFormMixin, forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("publish_from"), cleaned.get("publish_until")
        if start and end and end < start:
            self.add_error(
                "publish_until",
                _("La fin de publication doit suivre son début (%(d)s).")
                % {"d": start.strftime("%d/%m/%Y")},
            )
        return cleaned


class NewsForm(PublicationForm):
    link_url = forms.URLField(label=_("lien"), required=False, assume_scheme="https")

    class Meta:
        model = News
        fields = ["title", "body", "link_url", "link_label", "publish_from", "publish_until"]


class FormDocumentForm(PublicationForm):
    class Meta:
        model = FormDocument
        fields = ["title", "description", "file", "publish_from", "publish_until"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if isinstance(upload, UploadedFile):
            checked = check_upload(upload)
            upload.name = checked.name
            self.instance.file_name = checked.name
            self.instance.content_type = checked.content_type
        return upload


class AudienceColumnMixin:
    """Shows each row's audience by name, with one query per audience kind for the page."""

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        label = AudienceLabels()
        for obj in changelist.result_list:
            obj.audience_display = label(obj.audience_kind, obj.audience_value)
        return changelist

    @admin.display(description=_("destinataires"), ordering="audience_kind")
    def audience(self, obj) -> str:
        return getattr(obj, "audience_display", None) or obj.audience_label


PUBLICATION_FIELDS = ("audience", "publish_from", "publish_until")


@admin.register(News)
class NewsAdmin(AudienceColumnMixin, admin.ModelAdmin):
    form = NewsForm
    list_display = ("title", "audience", "publish_from", "publish_until")
    search_fields = ("title", "body")
    date_hierarchy = "publish_from"
    fieldsets = (
        (None, {"fields": ("title", "body", "link_url", "link_label")}),
        (_("Publication"), {"fields": PUBLICATION_FIELDS}),
    )


@admin.register(FormDocument)
class FormDocumentAdmin(AudienceColumnMixin, admin.ModelAdmin):
    form = FormDocumentForm
    list_display = ("title", "file_name", "audience", "publish_from", "publish_until")
    search_fields = ("title", "description")
    readonly_fields = ("download",)
    fieldsets = (
        (None, {"fields": ("title", "description", "download", "file")}),
        (_("Publication"), {"fields": PUBLICATION_FIELDS}),
    )

    # The file is private (no public address): staff download it through this page, and
    # the file widget only offers to replace it (portail/admin_guards.py).
    @admin.display(description=_("fichier actuel"))
    def download(self, document: FormDocument) -> str:
        if document.pk is None:
            return "—"
        url = reverse("admin:messaging_formdocument_download", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, document.file_name)

    def get_urls(self):
        return [
            path(
                "<int:pk>/telecharger/",
                self.admin_site.admin_view(self.download_view),
                name="messaging_formdocument_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int):
        """GET: the form's file, as families download it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = get_object_or_404(FormDocument, pk=pk)
        return serve_private(
            document.file, name=document.file_name, content_type=document.content_type
        )


class BroadcastForm(AudienceFormMixin, forms.ModelForm):
    class Meta:
        model = Broadcast
        fields = ["subject", "body", "link_url", "link_label", "sender"]

    def clean_link_url(self) -> str:
        link = self.cleaned_data["link_url"]
        if link:
            validate_link(link)
        return link

    def clean(self):
        cleaned = super().clean()
        if "audience" in cleaned and not audiences.recipients(*cleaned["audience"]).exists():
            raise ValidationError(
                _("Aucune famille ne correspond à ce public : choisissez-en un autre.")
            )
        return cleaned


@admin.register(Broadcast)
class BroadcastAdmin(admin.ModelAdmin):
    """Sent on « Enregistrer »; afterwards a record, not a draft: nothing is editable."""

    form = BroadcastForm
    list_display = ("subject", "audience_label", "recipient_count", "sender", "created_at")
    list_select_related = ("created_by",)
    search_fields = ("subject", "body")
    date_hierarchy = "created_at"
    add_fields = ("audience", "sender", "subject", "body", "link_url", "link_label")
    sent_fields = (
        "subject",
        "body",
        "link_url",
        "link_label",
        "sender",
        "audience_label",
        "recipients",
        "created_by",
        "created_at",
    )

    def get_fields(self, request, obj=None):
        return self.sent_fields if obj else self.add_fields

    def get_readonly_fields(self, request, obj=None):
        return self.sent_fields if obj else ()

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Saving sends it: there is nothing to go on editing afterwards.
        context.update(show_save_and_continue=False, show_save_and_add_another=False)
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description=_("familles destinataires"))
    def recipients(self, broadcast: Broadcast) -> str:
        url = reverse("admin:messaging_message_changelist")
        return format_html(
            '<a href="{}?broadcast__id__exact={}">{} famille(s) — voir les messages envoyés</a>',
            url,
            broadcast.pk,
            broadcast.recipient_count,
        )

    def save_model(self, request, obj, form, change):
        kind, value = form.cleaned_data["audience"]
        sent = send_broadcast(
            subject=obj.subject,
            body=obj.body,
            audience_kind=kind,
            audience_value=value,
            sender=obj.sender,
            link_url=obj.link_url,
            link_label=obj.link_label,
            by=request.user,
        )
        obj.pk = sent.pk
        obj.created_at = sent.created_at
        obj.recipient_count = sent.recipient_count
        obj.audience_label = sent.audience_label

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            _("Message « %(subject)s » envoyé à %(n)d famille(s).")
            % {"subject": obj.subject, "n": obj.recipient_count},
        )
        return self.response_post_save_add(request, obj)
