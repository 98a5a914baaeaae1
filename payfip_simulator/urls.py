from django.urls import path

from . import views

app_name = "payfip_simulator"

# Mounted under /simulateur-payfip/ by portail/urls.py, only when PAYFIP_SIMULATOR is on.
urlpatterns = [
    path("services/securite", views.service, name="service"),
    path("paiement/", views.payment_page, name="payment"),
]
