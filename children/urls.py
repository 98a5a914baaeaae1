from django.urls import path

from . import record_views, views

app_name = "children"

urlpatterns = [
    path("enfants/", views.child_list, name="list"),
    path("enfants/ajouter/", record_views.child_add, name="add"),
    path("enfants/<int:pk>/", record_views.child_detail, name="detail"),
    path("enfants/<int:pk>/personnes/ajouter/", record_views.person_add, name="person_add"),
    path(
        "enfants/<int:pk>/personnes/<int:person_pk>/modifier/",
        record_views.person_edit,
        name="person_edit",
    ),
    path(
        "enfants/<int:pk>/<slug:slug>/modifier/",
        record_views.section_edit,
        name="section_edit",
    ),
]
