"""« Nous contacter », the parent's side: write to a service, follow the exchange."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from .contact import reply_as_family, start_thread_once
from .contact_forms import NewThreadForm, ReplyForm
from .files import serve_private
from .models import Message, PostAttachment, Thread


def get_thread_or_404(request: HttpRequest, pk: int) -> Thread:
    """A thread of the user's own family; any other id is a 404."""
    return get_object_or_404(
        Thread.objects.for_recipient(request.user.family_id).select_related("service"), pk=pk
    )


def posted(request: HttpRequest) -> tuple:
    """A form's data: bound on every POST, even an empty one (which then says what's missing)."""
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def no_family(request: HttpRequest) -> HttpResponse:
    return render(request, "portail/no_family.html", status=403)


@login_required
def contact(request: HttpRequest) -> HttpResponse:
    if not request.user.is_parent:
        return no_family(request)
    form = NewThreadForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            thread, opened = start_thread_once(
                token=form.cleaned_data["jeton"],
                family=request.user.family,
                service=form.cleaned_data["service"],
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                author=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if opened:
                flash.success(
                    request,
                    f"Votre message a été envoyé au service {thread.service.name}. Sa réponse "
                    "arrivera dans votre Boîte de réception et sur cette page.",
                )
            else:
                flash.info(
                    request,
                    "Ce message a déjà été envoyé : le voici. Pour écrire autre chose, "
                    "répondez ci-dessous ou écrivez un nouveau message.",
                )
            return redirect("messaging:contact_thread", thread.pk)
    threads = (
        Thread.objects.for_recipient(request.user.family_id)
        .select_related("service")
        .annotate(post_count=Count("posts"))
        .order_by("-last_post_at", "-pk")
    )
    page = Paginator(threads, 20).get_page(request.GET.get("page"))
    return render(request, "messaging/contact_list.html", {"page": page, "form": form})


@login_required
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_or_404(request, pk)
    form = ReplyForm(*posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            reply_as_family(
                thread=thread,
                body=form.cleaned_data["body"],
                files=form.cleaned_data["attachments"],
                author=request.user,
            )
        except ValidationError as error:  # the thread was closed meanwhile
            flash.error(request, " ".join(error.messages))
        else:
            flash.success(request, f"Votre message a été envoyé au service {thread.service.name}.")
        return redirect("messaging:contact_thread", thread.pk)
    if request.method == "GET":
        mark_read(request, thread)
    posts = thread.posts.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=PostAttachment.objects.order_by("pk"))
    )
    context = {"thread": thread, "posts": posts, "form": form}
    return render(request, "messaging/contact_thread.html", context)


def mark_read(request: HttpRequest, thread: Thread) -> None:
    """The family has seen the thread, and so the inbox notices of its answers."""
    now = timezone.now()
    if thread.unread_by_family:
        Thread.objects.filter(pk=thread.pk).update(family_read_at=now)
        Message.objects.for_recipient(request.user.family_id).unread().filter(
            link_url=reverse("messaging:contact_thread", args=[thread.pk])
        ).update(read_at=now)
    thread.family_read_at = now


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    thread = get_thread_or_404(request, pk)
    attachment = get_object_or_404(PostAttachment, pk=attachment_pk, post__thread=thread)
    return serve_private(
        attachment.file, name=attachment.name, content_type=attachment.content_type
    )
