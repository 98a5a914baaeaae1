"""What must happen before the session, the user or the request's body are touched."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from .errors import request_too_large
from .health import health


class HealthCheckMiddleware:
    """Answers /sante/ itself, before any middleware reads the session or the user from
    the database: with the database down, a load balancer's probe that carries a session
    cookie gets the same 503 as one without."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.path: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.path is None:
            self.path = reverse("portail:health")
        if request.path_info == self.path:
            return health(request)
        return self.get_response(request)


class RequestBodyLimitMiddleware:
    """Refuses (413) a request that announces a body over REQUEST_BODY_MAX_BYTES, before
    reading any of it. A body without Content-Length is bounded by the upload handler
    (portail.uploads) as it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_BODY_MAX_BYTES:
            return request_too_large(request)
        return self.get_response(request)
