from django.http import HttpRequest

from .models import Message


def inbox(request: HttpRequest) -> dict:
    """The unread count shown on the "Boîte de réception" tab (one small query)."""
    family_id = getattr(getattr(request, "user", None), "family_id", None)
    if not family_id:
        return {}
    return {"inbox_unread": lambda: Message.objects.for_recipient(family_id).unread().count()}
