from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import health, views

admin.site.site_header = "Portail Famille — administration"
admin.site.site_title = "Portail Famille"
admin.site.index_title = "Gestion"

portail_patterns = [
    path("", views.home, name="home"),
    path("sante/", health.health, name="health"),
]

urlpatterns = [
    path("", include((portail_patterns, "portail"))),
    path("", include("accounts.urls")),
    path("", include("children.urls")),
    path("", include("messaging.urls")),
    path("", include("reservations.urls")),
    path("", include("billing.urls")),
    # Before the admin's own URLs: its catch-all would answer these paths first.
    path("admin/double-authentification/", include("accounts.two_factor_urls")),
    path("admin/", admin.site.urls),
]

if settings.PAYFIP_SIMULATOR:
    urlpatterns.append(path("simulateur-payfip/", include("payfip_simulator.urls")))

# The portal's own error pages, in French, rendered without the database (portail/errors.py).
handler400 = "portail.errors.bad_request"
handler403 = "portail.errors.permission_denied"
handler404 = "portail.errors.page_not_found"
handler500 = "portail.errors.server_error"
