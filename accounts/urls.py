from django.contrib.auth import views as auth_views
from django.urls import path

from . import record_views, views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("compte/", record_views.account, name="account"),
    path("compte/demandes/", record_views.change_request_list, name="change_requests"),
    path(
        "compte/demandes/<int:pk>/retirer/",
        record_views.change_request_withdraw,
        name="change_request_withdraw",
    ),
    path("compte/responsables/ajouter/", record_views.guardian_add, name="guardian_add"),
    path(
        "compte/responsables/<int:pk>/modifier/",
        record_views.guardian_edit,
        name="guardian_edit",
    ),
    path("compte/<slug:slug>/modifier/", record_views.section_edit, name="section_edit"),
    path("compte/mot-de-passe/", views.password_change, name="password_change"),
    path(
        "connexion/mot-de-passe-oublie/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "connexion/mot-de-passe-oublie/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "connexion/reinitialiser/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "connexion/reinitialiser/termine/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
