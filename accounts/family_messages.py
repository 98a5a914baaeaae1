"""« Écrire aux familles sélectionnées »: the family list's action, sent through messaging."""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from messaging.broadcast_forms import GroupMessageForm
from messaging.broadcasts import send_to_families

SHOWN = 30


@admin.action(description=_("Écrire aux familles sélectionnées"), permissions=["view"])
def write_to_families(modeladmin, request, queryset):
    """A page to write the message, then one broadcast to the selected families only."""
    if not request.user.has_perm("messaging.add_broadcast"):
        modeladmin.message_user(
            request, _("Vous n'avez pas le droit d'envoyer des messages groupés."), messages.ERROR
        )
        return None
    form = GroupMessageForm(request.POST if "send" in request.POST else None)
    if form.is_valid():
        broadcast = send_to_families(
            families_ids=queryset.values_list("pk", flat=True), by=request.user, **form.cleaned_data
        )
        modeladmin.message_user(
            request,
            _("Message « %(subject)s » envoyé à %(label)s.")
            % {"subject": broadcast.subject, "label": broadcast.audience_label},
        )
        return None
    count = queryset.count()
    return TemplateResponse(
        request,
        "admin/accounts/family/write_to_families.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Écrire aux familles sélectionnées"),
            "opts": modeladmin.model._meta,
            "form": form,
            "count": count,
            "families": queryset.only("name")[:SHOWN],
            "more": max(count - SHOWN, 0),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        },
    )
