"""The one function other apps call to tell a family something: `notify()`.

The inbox message and its e-mails are written in the same transaction; the e-mails are
sent later by `send_pending_emails`, so a slow or broken mail server never blocks a
request nor loses a message.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .email_templates import render_subject, render_text
from .models import EmailStatus, Kind, Message, MessageAttachment, OutgoingEmail

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Attachment:
    name: str
    content: bytes
    content_type: str = "application/pdf"


def absolute_url(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return settings.PORTAL_URL.rstrip("/") + link if settings.PORTAL_URL else link


@transaction.atomic
def notify(
    recipient,
    kind: Kind | str,
    subject: str,
    body: str,
    *,
    link: str = "",
    link_label: str = "",
    sender: str = "La mairie",
    attachments: Iterable[Attachment] = (),
    email: bool = True,
    at: datetime | None = None,
) -> Message:
    """Put a message in the recipient's inbox and queue its e-mail(s).

    The recipient (a family) chooses through `notification_emails(kind)` which addresses,
    if any, also get it by e-mail. `at` dates the message when it tells of a moment that
    is not now (the cron's run an invoice was issued at, a payment recorded earlier).
    """
    message = Message.objects.create(
        created_at=at or timezone.now(),
        recipient=recipient,
        kind=kind,
        subject=subject,
        body=body,
        link_url=link,
        link_label=link_label or ("Ouvrir" if link else ""),
        sender=sender,
    )
    for attachment in attachments:
        stored = MessageAttachment(
            message=message, name=attachment.name, content_type=attachment.content_type
        )
        stored.file.save(attachment.name, ContentFile(attachment.content), save=False)
        stored.save()
    if email:
        queue_message_emails(message, recipient.notification_emails(kind))
    return message


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    text: str
    html: str


def render_message_email(message: Message) -> RenderedEmail:
    """The e-mail that accompanies an inbox message (the same for every address)."""
    context = {
        "message": message,
        "link": absolute_url(message.link_url),
        "inbox_url": absolute_url("/messages/"),
        "commune_name": settings.COMMUNE_NAME,
    }
    return RenderedEmail(
        subject=render_subject("messaging/email/notice_subject.txt", context),
        text=render_text("messaging/email/notice.txt", context),
        html=render_to_string("messaging/email/notice.html", context),
    )


def message_emails(
    message: Message, addresses: Iterable[str], rendered: RenderedEmail | None = None
) -> list[OutgoingEmail]:
    """The unsaved e-mails of a message, one per distinct address."""
    rendered = rendered or render_message_email(message)
    return [
        OutgoingEmail(
            message=message,
            to=address,
            subject=rendered.subject,
            body_text=rendered.text,
            body_html=rendered.html,
        )
        for address in dict.fromkeys(addresses)
    ]


def queue_message_emails(message: Message, addresses: Iterable[str]) -> list[OutgoingEmail]:
    return OutgoingEmail.objects.bulk_create(message_emails(message, addresses))


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    abandoned: int = 0


def send_pending_emails(*, at: datetime | None = None, batch_size: int = 100) -> SendReport:
    """Send every due e-mail once; a failure is retried later with a growing delay.

    Rows are locked with SKIP LOCKED, so two runs at once never send the same e-mail.
    """
    report = SendReport()
    at = at or timezone.now()
    connection = get_connection()
    while True:
        with transaction.atomic():
            batch = list(
                OutgoingEmail.objects.due(at)
                .select_for_update(skip_locked=True)
                .order_by("next_attempt_at", "pk")[:batch_size]
            )
            if not batch:
                return report
            for outgoing in batch:
                _send_one(outgoing, connection, at, report)


def _send_one(outgoing: OutgoingEmail, connection, at: datetime, report: SendReport) -> None:
    email = EmailMultiAlternatives(
        subject=outgoing.subject,
        body=outgoing.body_text,
        to=[outgoing.to],
        connection=connection,
    )
    if outgoing.body_html:
        email.attach_alternative(outgoing.body_html, "text/html")
    outgoing.attempts += 1
    cleared = []
    try:
        email.send()
    except Exception as exc:  # noqa: BLE001 — any SMTP or network failure is retried
        outgoing.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if outgoing.attempts >= OutgoingEmail.MAX_ATTEMPTS:
            outgoing.status = EmailStatus.FAILED
            report.abandoned += 1
            logger.error("E-mail %s abandonné après %s essais", outgoing.pk, outgoing.attempts)
        else:
            outgoing.next_attempt_at = at + outgoing.retry_delay()
            report.retried += 1
    else:
        # Saved in the batch's transaction: a one-time link's bodies are gone once sent.
        cleared = outgoing.mark_sent(timezone.now())
        report.sent += 1
    outgoing.save(
        update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error", *cleared]
    )
