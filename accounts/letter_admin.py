"""« Imprimer un nouveau courrier d'accès », the same action in two admins.

From the families' list it covers every login of the chosen families; from the
« Identifiants famille » list, the chosen logins. Either way a clerk never sets nor sees
a password: the new temporary one exists only in the PDF they print and post.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .letters import issue_access_letters, letter_logins


def print_access_letters(modeladmin, request, selected, *, logins, families) -> HttpResponse | None:
    """Confirm first (nothing changes), then answer the PDF of new temporary passwords.

    `selected`: the queryset the admin action received; `logins`: the users it covers;
    `families`: the families the confirmation lists.
    """
    if request.POST.get("confirm") != "yes":
        chosen = list(letter_logins(logins))
        opts = modeladmin.model._meta
        return TemplateResponse(
            request,
            "admin/accounts/access_letter_confirm.html",
            {
                **modeladmin.admin_site.each_context(request),
                "title": _("Imprimer un nouveau courrier d'accès"),
                "rows": [
                    (family, [login for login in chosen if login.family_id == family.pk])
                    for family in families
                ],
                "selected": list(selected.values_list("pk", flat=True)),
                "action": request.POST.get("action", ""),
                "changelist_url": reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_changelist",
                    current_app=modeladmin.admin_site.name,
                ),
                "days": settings.TEMPORARY_PASSWORD_DAYS,
                "opts": opts,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )
    portal_url = settings.PORTAL_URL or request.build_absolute_uri("/")
    pdf, count = issue_access_letters(logins=logins, by=request.user, portal_url=portal_url)
    if not count:
        modeladmin.message_user(
            request,
            _("Aucun identifiant actif dans la sélection : rien à imprimer."),
            messages.WARNING,
        )
        return None
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="courriers-acces-{stamp}.pdf"'
    return response
