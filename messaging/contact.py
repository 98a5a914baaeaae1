"""« Nous contacter »: a family writes to a service, the exchange goes on as a thread.

A family post leaves the thread awaiting the town hall and tells the service by e-mail
(a bare notice with a link to the admin, nothing the family wrote but the subject). A
staff answer lands in the family's inbox, and by e-mail, through `notify()`.
"""

from collections.abc import Iterable
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .email_templates import render_subject, render_text
from .files import check_upload
from .models import Kind, OutgoingEmail, PostAttachment, Service, Thread, ThreadPost
from .services import absolute_url, notify

MAX_ATTACHMENTS = 3
SUBJECT_MAX = Thread._meta.get_field("subject").max_length


def start_thread_once(*, token: UUID | None, family, **fields) -> tuple[Thread, bool]:
    """`start_thread` once per form token: the form sent again (back, then « Envoyer »; a
    double click, even at the same instant) gets the thread it opened, and False."""
    if token is None:
        return start_thread(family=family, **fields), True
    if opened := _opened_by(family, token):
        return opened, False
    try:
        return start_thread(family=family, token=token, **fields), True
    except IntegrityError:  # the same form, sent at the same instant, won
        if opened := _opened_by(family, token):
            return opened, False
        raise


def _opened_by(family, token: UUID) -> Thread | None:
    return (
        Thread.objects.select_related("service")
        .filter(family=family, submission_token=token)
        .first()
    )


@transaction.atomic
def start_thread(
    *,
    family,
    service: Service,
    subject: str,
    body: str,
    files: Iterable[UploadedFile],
    author,
    token: UUID | None = None,
) -> Thread:
    """Open a thread with the family's first message; the service is told by e-mail."""
    if not service.active:
        raise ValidationError("Ce service ne reçoit plus de messages par le portail.")
    files = _checked(files)
    now = timezone.now()
    thread = Thread.objects.create(
        family=family,
        service=service,
        subject=subject,
        created_at=now,
        last_post_at=now,
        awaiting_staff=True,
        family_read_at=now,
        submission_token=token,
    )
    post = _add_post(thread, from_staff=False, body=body, files=files, author=author, at=now)
    _tell_service(post)
    return thread


@transaction.atomic
def reply_as_family(
    *, thread: Thread, body: str, files: Iterable[UploadedFile], author
) -> ThreadPost:
    """The family writes again: the thread waits for the town hall, which is told."""
    thread = _locked(thread)
    if thread.closed:
        raise ValidationError("Cet échange est clos : écrivez un nouveau message.")
    files = _checked(files)
    now = timezone.now()
    post = _add_post(thread, from_staff=False, body=body, files=files, author=author, at=now)
    thread.awaiting_staff = True
    thread.last_post_at = now
    thread.family_read_at = now
    thread.save(update_fields=["awaiting_staff", "last_post_at", "family_read_at"])
    _tell_service(post)
    return post


@transaction.atomic
def reply_as_staff(*, thread: Thread, body: str, author) -> ThreadPost:
    """The town hall answers: the answer reaches the family's inbox and e-mail."""
    thread = _locked(thread)
    now = timezone.now()
    post = _add_post(thread, from_staff=True, body=body, files=(), author=author, at=now)
    thread.awaiting_staff = False
    thread.last_post_at = now
    thread.staff_read_at = now
    thread.save(update_fields=["awaiting_staff", "last_post_at", "staff_read_at"])
    subject = f"Réponse : {thread.subject}"
    if len(subject) > SUBJECT_MAX:
        subject = subject[: SUBJECT_MAX - 1] + "…"
    post.notice = notify(
        thread.family,
        Kind.REPLY,
        subject,
        body,
        link=reverse("messaging:contact_thread", args=[thread.pk]),
        link_label="Voir l'échange",
        sender=thread.service.name,
    )
    post.save(update_fields=["notice"])
    return post


def _locked(thread: Thread) -> Thread:
    """The thread's row, locked, so that two posts at once keep its state right."""
    return (
        Thread.objects.select_for_update(of=("self",))
        .select_related("family", "service")
        .get(pk=thread.pk)
    )


def _checked(files: Iterable[UploadedFile]) -> list[tuple[UploadedFile, object]]:
    """Every file checked before anything is written (the form has checked them too)."""
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError(
            "Vous pouvez joindre au plus %(max)d fichiers.", params={"max": MAX_ATTACHMENTS}
        )
    return [(upload, check_upload(upload)) for upload in files]


def _add_post(thread: Thread, *, from_staff: bool, body: str, files, author, at) -> ThreadPost:
    post = ThreadPost.objects.create(
        thread=thread, from_staff=from_staff, author=author, body=body, created_at=at
    )
    for upload, checked in files:
        attachment = PostAttachment(
            post=post, name=checked.name, content_type=checked.content_type, size=checked.size
        )
        upload.seek(0)
        attachment.file.save(checked.name, upload, save=False)
        attachment.save()
    return post


def _tell_service(post: ThreadPost) -> OutgoingEmail | None:
    """A notice to the service's address, if it has one: a link, no personal data."""
    thread = post.thread
    if not thread.service.email:
        return None
    context = {
        "thread": thread,
        "service": thread.service,
        "admin_url": absolute_url(reverse("admin:messaging_thread_change", args=[thread.pk])),
        "commune_name": settings.COMMUNE_NAME,
    }
    post.alert = OutgoingEmail.objects.create(
        message=None,
        to=thread.service.email,
        subject=render_subject("messaging/email/contact_staff_subject.txt", context),
        body_text=render_text("messaging/email/contact_staff.txt", context),
        body_html=render_to_string("messaging/email/contact_staff.html", context),
    )
    post.save(update_fields=["alert"])
    return post.alert
