"""« Justificatifs » in the admin: staff check what families deposit.

A medical document (certificat médical, PAI…) is health data: its file name, description,
file and the staff's note are shown, served and decided only for staff allowed to see
health data (messaging.document_access), and each look or download is logged. Other staff
see that it exists, its kind and state, under a neutral label (« Certificat médical
n° 12 »), and get a 403 on its file.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portail.lib.restricted import RESERVED, refused

from . import document_access
from .files import serve_private
from .models import DocumentStatus, FamilyDocument
from .models.uploads import MEDICAL_KINDS
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


def document_refused(request, document: FamilyDocument):
    return refused(
        request,
        title=_("Justificatif médical"),
        detail=(
            f"{RESERVED} « {document.neutral_label} » est une donnée de santé : seuls les "
            "agents de ce groupe l'ouvrent, et chaque ouverture est enregistrée. Aucun fichier "
            "n'a été envoyé."
        ),
        back_url=reverse("admin:messaging_familydocument_changelist"),
    )


@admin.register(FamilyDocument)
class FamilyDocumentAdmin(admin.ModelAdmin):
    form = FamilyDocumentForm
    list_display = ("label", "family", "kind", "uploaded_at", "status", "download")
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
    # What staff without the health permission see of a medical document.
    reserved_fields = (
        "family",
        "kind",
        "reserved",
        "size",
        "uploaded_by",
        "uploaded_at",
        "status",
    )

    def has_add_permission(self, request):
        return False  # families deposit their documents from the portal

    def has_change_permission(self, request, obj=None):
        if obj is not None and not document_access.may_open(request.user, obj):
            return False  # deciding on a medical document means reading it
        return super().has_change_permission(request, obj)

    # --- what a page shows -----------------------------------------------------------------

    @admin.display(description=_("justificatif"))
    def label(self, document: FamilyDocument) -> str:
        """A list shows no medical file name, to anyone: it may name a diagnosis."""
        return document.neutral_label if document.is_medical else document.name

    @admin.display(description=_("fichier"))
    def download(self, document: FamilyDocument) -> str:
        url = reverse("admin:messaging_familydocument_download", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, document.name)

    @admin.display(description=_("fichier"))
    def download_neutral(self, document: FamilyDocument) -> str:
        url = reverse("admin:messaging_familydocument_download", args=[document.pk])
        return format_html('<a href="{}">{}</a>', url, _("Télécharger"))

    @admin.display(description=_("fichier"))
    def reserved(self, document: FamilyDocument) -> str:
        return RESERVED

    def get_list_display(self, request):
        if document_access.may_see_medical(request.user):
            return (*self.list_display[:-1], "download_neutral")
        return (*self.list_display[:-1], "download_or_reserved")

    @admin.display(description=_("fichier"))
    def download_or_reserved(self, document: FamilyDocument) -> str:
        return RESERVED if document.is_medical else self.download_neutral(document)

    def get_fields(self, request, obj=None):
        if obj is not None and not document_access.may_open(request.user, obj):
            return self.reserved_fields
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not document_access.may_open(request.user, obj):
            return self.reserved_fields
        return self.readonly_fields

    def get_search_results(self, request, queryset, search_term):
        """Without the health permission, a search never matches a medical file's name or
        description: « asthme » would otherwise point at a family."""
        if search_term and not document_access.may_see_medical(request.user):
            queryset = queryset.exclude(kind__in=MEDICAL_KINDS)
        return super().get_search_results(request, queryset, search_term)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        document = (getattr(response, "context_data", None) or {}).get("original")
        if (
            response.status_code == 200
            and document is not None
            and document_access.may_open(request.user, document)
        ):
            document_access.opened(request.user, document, downloaded=False)
        return response

    # --- the file ------------------------------------------------------------------------

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
        if not document_access.may_open(request.user, document):
            return document_refused(request, document)
        document_access.opened(request.user, document, downloaded=True)
        return serve_private(document.file, name=document.name, content_type=document.content_type)

    # --- decisions -----------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change and "status" in form.changed_data and obj.status != DocumentStatus.RECEIVED:
            review_document(
                document=obj, accepted=obj.status == DocumentStatus.ACCEPTED, note=obj.staff_note
            )
            return
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Accepter les justificatifs sélectionnés"), permissions=["change"])
    def accept(self, request, queryset):
        allowed = [doc for doc in queryset if document_access.may_open(request.user, doc)]
        count = sum(review_document(document=doc, accepted=True) for doc in allowed)
        self.message_user(request, _("%(n)d justificatif(s) accepté(s).") % {"n": count})
        if reserved := queryset.count() - len(allowed):
            self.message_user(
                request,
                _(
                    "%(n)d justificatif(s) médical(aux) laissé(s) en l'état : réservé(s) au "
                    "groupe « Données de santé »."
                )
                % {"n": reserved},
                messages.WARNING,
            )
