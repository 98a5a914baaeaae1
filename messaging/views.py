from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .files import serve_private
from .models import Message, MessageAttachment


def get_message_or_404(request: HttpRequest, pk: int) -> Message:
    """A message of the user's own family; any other id is a 404."""
    return get_object_or_404(Message.objects.for_recipient(request.user.family_id), pk=pk)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    messages = (
        Message.objects.for_recipient(request.user.family_id)
        .prefetch_related("attachments")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(messages, 20).get_page(request.GET.get("page"))
    return render(request, "messaging/inbox.html", {"page": page})


@login_required
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_message_or_404(request, pk)
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return render(request, "messaging/message_detail.html", {"message": message})


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    message = get_message_or_404(request, pk)
    attachment = get_object_or_404(MessageAttachment, pk=attachment_pk, message=message)
    return serve_private(
        attachment.file, name=attachment.name, content_type=attachment.content_type
    )


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = (
        Message.objects.for_recipient(request.user.family_id)
        .unread()
        .update(read_at=timezone.now())
    )
    flash.success(request, f"{count} message(s) marqué(s) comme lu(s).")
    return redirect("messaging:inbox")
