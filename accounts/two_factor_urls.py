from django.urls import path

from . import two_factor_views

app_name = "two_factor"

urlpatterns = [
    path("", two_factor_views.manage, name="manage"),
    path("activer/", two_factor_views.enrol, name="enrol"),
    path("verifier/", two_factor_views.verify, name="verify"),
    path("codes-de-secours/", two_factor_views.recovery_codes, name="recovery_codes"),
]
