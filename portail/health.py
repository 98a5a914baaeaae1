"""The load balancers' probe: is the database there?"""

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

TEXT = "text/plain; charset=utf-8"


@require_GET
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the database answers, 503 when it does not.

    Answered by portail.middleware.HealthCheckMiddleware, before any session is read."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("base de données injoignable\n", status=503, content_type=TEXT)
    return HttpResponse("ok\n", content_type=TEXT)
