from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .files import serve_private
from .models import DocumentStatus, FamilyDocument
from .upload_services import review_document


class FamilyDocumentForm(forms.ModelForm):
    class Meta:
        model = FamilyDocument
        fields = ("status", "staff_note")

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("status") == DocumentStatus.REFUSED
            and not cleaned.get("staff_note", "").strip()
        ):
            self.add_error(
                "staff_note",
                _("Indiquez le motif du refus : la famille le recevra dans son message."),
            )
        return cleaned


@admin.register(FamilyDocument)
class FamilyDocumentAdmin(admin.ModelAdmin):
    form = FamilyDocumentForm
    list_display = ("name", "family", "kind", "uploaded_at", "status", "download")
    list_filter = ("status", "kind", "uploaded_at")
    list_select_related = ("family",)
    search_fields = ("name", "description")
    autocomplete_fields = ("family",)
    date_hierarchy = "uploaded_at"
    actions = ["accept"]
    fields = (
        "family",
        "kind",
        "description",
        "download",
        "size",
        "uploaded_by",
        "uploaded_at",
        "status",
        "staff_note",
    )
    readonly_fields = (
        "family",
        "kind",
        "description",
        "download",
        "size",
        "uploaded_by",
        "uploaded_at",
    )

    def has_add_permission(self, request):
        return False  # families deposit their documents from the portal

    @admin.display(description=_("fichier"))
    def download(self, document: FamilyDocument) -> str:
        url = reverse("admin:messaging_familydocument_download", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, document.name)

    def get_urls(self):
        return [
            path(
                "<int:pk>/telecharger/",
                self.admin_site.admin_view(self.download_view),
                name="messaging_familydocument_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        document = get_object_or_404(FamilyDocument, pk=pk)
        return serve_private(document.file, name=document.name, content_type=document.content_type)

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data and obj.status != DocumentStatus.RECEIVED:
            review_document(
                document=obj, accepted=obj.status == DocumentStatus.ACCEPTED, note=obj.staff_note
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Accepter les justificatifs sélectionnés"), permissions=["change"])
    def accept(self, request, queryset):
        count = sum(review_document(document=doc, accepted=True) for doc in queryset)
        self.message_user(request, _("%(n)d justificatif(s) accepté(s).") % {"n": count})
