"""The portal's own error pages, in French.

They render with a context of settings only — no context processor, no session, no
database — so that they still show when the database is what failed.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.urls import reverse

MEGABYTE = 1024 * 1024


def _in_admin(request: HttpRequest) -> bool:
    return request.path.startswith(reverse("admin:index"))


def _page(request: HttpRequest, template: str, status: int, **context) -> HttpResponse:
    context = {
        "commune_name": settings.COMMUNE_NAME,
        "commune_phone": settings.COMMUNE_PHONE,
        "in_admin": _in_admin(request),
        **context,
    }
    return HttpResponse(loader.render_to_string(template, context), status=status)


def request_too_large(request: HttpRequest, *, file_name: str | None = None) -> HttpResponse:
    """413: what was sent is over the limits; nothing of it was kept."""
    return _page(
        request,
        "413.html",
        413,
        file_name=file_name,
        file_max_mb=settings.UPLOAD_MAX_BYTES // MEGABYTE,
        body_max_mb=settings.REQUEST_BODY_MAX_BYTES // MEGABYTE,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request, file_name=getattr(exception, "file_name", None))
    return _page(request, "400.html", 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "403.html", 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, "404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, "500.html", 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page too old (or from elsewhere): say how to start again."""
    return _page(request, "403_csrf.html", 403)
