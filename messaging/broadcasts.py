"""Messages to a group of families in one action, recorded as one Broadcast.

Each family gets its own inbox message (pointing back to the broadcast) and the e-mails
its `notification_emails()` asks for, all written in one transaction. Families are read
in chunks with what `notification_emails()` needs prefetched (the recipient model names
it in `notification_prefetch`), so the number of queries does not grow with each family.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet

from . import audiences
from .models import Broadcast, Kind, Message, OutgoingEmail
from .services import message_emails, render_message_email

SELECTION = "selection"
CHUNK = 500


class NoRecipients(ValueError):
    """The chosen audience has no family: nothing is sent, nothing is recorded."""


@transaction.atomic
def send_broadcast(
    *,
    subject: str,
    body: str,
    audience_kind: str,
    audience_value: str,
    sender: str,
    link_url: str = "",
    link_label: str = "",
    by,
) -> Broadcast:
    """Send one message to every family of an audience (see messaging.audiences)."""
    return _send(
        recipient_ids=audiences.recipients(audience_kind, audience_value),
        audience_kind=audience_kind,
        audience_value=audience_value,
        audience_label=audiences.describe(audience_kind, audience_value),
        subject=subject,
        body=body,
        sender=sender,
        link_url=link_url,
        link_label=link_label,
        by=by,
    )


@transaction.atomic
def send_to_families(
    *,
    families_ids: Iterable[int],
    subject: str,
    body: str,
    sender: str,
    link_url: str = "",
    link_label: str = "",
    by,
) -> Broadcast:
    """Send one message to families picked by hand (the family changelist's action)."""
    ids = sorted(set(families_ids))
    count = audiences.recipient_model().objects.filter(pk__in=ids).count()
    label = "1 famille sélectionnée" if count == 1 else f"{count} familles sélectionnées"
    return _send(
        recipient_ids=ids,
        audience_kind=SELECTION,
        audience_value="",
        audience_label=label,
        subject=subject,
        body=body,
        sender=sender,
        link_url=link_url,
        link_label=link_label,
        by=by,
    )


def _send(
    *,
    recipient_ids: QuerySet | list[int],
    audience_kind: str,
    audience_value: str,
    audience_label: str,
    subject: str,
    body: str,
    sender: str,
    link_url: str,
    link_label: str,
    by,
) -> Broadcast:
    link_label = link_label or ("Ouvrir" if link_url else "")
    broadcast = Broadcast.objects.create(
        subject=subject,
        body=body,
        link_url=link_url,
        link_label=link_label,
        sender=sender,
        audience_kind=audience_kind,
        audience_value=audience_value,
        audience_label=audience_label[:250],
        created_by=by,
    )
    fields = {
        "kind": Kind.INFO,
        "subject": subject,
        "body": body,
        "link_url": link_url,
        "link_label": link_label,
        "sender": sender,
        "created_at": broadcast.created_at,
        "broadcast": broadcast,
    }
    # Every message says the same: its e-mail is rendered once.
    rendered = render_message_email(Message(**fields))
    model = audiences.recipient_model()
    families = (
        model.objects.filter(pk__in=recipient_ids)
        .order_by("pk")
        .prefetch_related(*getattr(model, "notification_prefetch", ()))
    )
    chunk: list = []
    count = 0
    for family in families.iterator(chunk_size=CHUNK):
        chunk.append(family)
        if len(chunk) == CHUNK:
            count += _deliver(chunk, fields, rendered)
            chunk = []
    count += _deliver(chunk, fields, rendered)
    if not count:
        raise NoRecipients("Aucune famille ne correspond à ce public : rien n'a été envoyé.")
    broadcast.recipient_count = count
    broadcast.save(update_fields=["recipient_count"])
    return broadcast


def _deliver(families: list, fields: dict, rendered) -> int:
    if not families:
        return 0
    messages = Message.objects.bulk_create(
        Message(recipient=family, **fields) for family in families
    )
    OutgoingEmail.objects.bulk_create(
        email
        for family, message in zip(families, messages, strict=True)
        for email in message_emails(message, family.notification_emails(Kind.INFO), rendered)
    )
    return len(messages)
