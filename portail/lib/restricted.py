"""The admin's answer to staff who open what their groups do not allow: a 403 in French.

Used where health data (a medical justificatif, a health change request) is reserved to
the group « Données de santé »: nothing of the object is shown or served, only what to do.
"""

from django.contrib import admin
from django.template.response import TemplateResponse

HEALTH_GROUP = "Données de santé"
# What any page shows in place of a health value, to staff outside that group.
RESERVED = f"Données de santé : réservé au groupe « {HEALTH_GROUP} »."


def refused(request, *, title: str, detail: str, back_url: str = "") -> TemplateResponse:
    return TemplateResponse(
        request,
        "admin/restricted.html",
        {
            **admin.site.each_context(request),
            "title": title,
            "detail": detail,
            "group": HEALTH_GROUP,
            "back_url": back_url,
        },
        status=403,
    )
