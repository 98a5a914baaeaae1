from django.urls import path

from . import contact_views, dev_outbox_views, publication_views, upload_views, views

app_name = "messaging"

urlpatterns = [
    path("messages/", views.inbox, name="inbox"),
    path("messages/tout-lu/", views.mark_all_read, name="mark_all_read"),
    path("messages/<int:pk>/", views.message_detail, name="detail"),
    path(
        "messages/<int:pk>/pieces/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path("compte/justificatifs/", upload_views.documents, name="documents"),
    path(
        "compte/justificatifs/<int:pk>/",
        upload_views.document_download,
        name="document_download",
    ),
    path(
        "compte/justificatifs/<int:pk>/retirer/",
        upload_views.document_withdraw,
        name="document_withdraw",
    ),
    path("infos/", publication_views.infos, name="infos"),
    path("infos/formulaires/", publication_views.forms, name="forms"),
    path(
        "infos/formulaires/<int:pk>/telecharger/",
        publication_views.form_download,
        name="form_download",
    ),
    path("contact/", contact_views.contact, name="contact"),
    path("contact/<int:pk>/", contact_views.thread_detail, name="contact_thread"),
    path(
        "contact/<int:pk>/pieces/<int:attachment_pk>/",
        contact_views.attachment_download,
        name="contact_attachment",
    ),
    # Development only (DEBUG on): the queued e-mails, shown at once.
    path("courriels-envoyes/", dev_outbox_views.sent_emails, name="dev_outbox"),
]
