"""The portal's URLs with the simulator mounted, and a stand-in for the commune's urlnotif."""

from django.http import HttpRequest, HttpResponse
from django.urls import URLResolver, include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portail.urls import urlpatterns as portal_urlpatterns
from tests.payfip_simulator.helpers import NOTIFICATION_PATH, RETURN_PATH


@csrf_exempt
@require_POST
def received(request: HttpRequest) -> HttpResponse:
    return HttpResponse("OK", content_type="text/plain")


mounted = any(
    isinstance(pattern, URLResolver) and pattern.app_name == "payfip_simulator"
    for pattern in portal_urlpatterns
)
urlpatterns = [
    *portal_urlpatterns,
    *([] if mounted else [path("simulateur-payfip/", include("payfip_simulator.urls"))]),
    path(NOTIFICATION_PATH.lstrip("/"), received),
    path(RETURN_PATH.lstrip("/"), received),
]
