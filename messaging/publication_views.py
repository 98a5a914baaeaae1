"""« Infos./Documents »: what the town hall publishes for the family today, and its forms."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .files import serve_private
from .models import FormDocument, News
from .models.publications import PublicationQuerySet


def visible_forms(request: HttpRequest) -> PublicationQuerySet:
    """The forms the user's family may see and download today."""
    return FormDocument.objects.published(timezone.localdate()).for_recipient(
        request.user.family_id
    )


def get_form_or_404(request: HttpRequest, pk: int) -> FormDocument:
    """A form published today for the user's family; any other id (or date) is a 404."""
    return get_object_or_404(visible_forms(request), pk=pk)


@login_required
def infos(request: HttpRequest) -> HttpResponse:
    news = (
        News.objects.published(timezone.localdate())
        .for_recipient(request.user.family_id)
        .order_by("-publish_from", "-pk")
    )
    return render(request, "messaging/infos.html", {"news": news})


@login_required
def forms(request: HttpRequest) -> HttpResponse:
    documents = visible_forms(request).order_by("title", "pk")
    return render(request, "messaging/forms.html", {"documents": documents})


@login_required
def form_download(request: HttpRequest, pk: int) -> FileResponse:
    document = get_form_or_404(request, pk)
    return serve_private(document.file, name=document.file_name, content_type=document.content_type)
