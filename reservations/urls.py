from django.urls import path

from . import absence_views, enrolment_views, month_views

app_name = "reservations"

urlpatterns = [
    path("reservations/", month_views.month_view, name="month"),
    path("reservations/semaine-type/", month_views.typical_week_view, name="typical_week"),
    path("reservations/inscriptions/", enrolment_views.enrolments, name="enrolments"),
    path(
        "reservations/inscriptions/<int:pk>/retirer/",
        enrolment_views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path("reservations/absences/", absence_views.absences, name="absences"),
]
