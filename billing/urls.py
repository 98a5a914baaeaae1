from django.urls import path

from . import online_views, receipt_views, views

app_name = "billing"

urlpatterns = [
    path("factures/", views.statement_view, name="statement"),
    path("factures/<int:pk>/", views.invoice_detail, name="invoice"),
    path("factures/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("factures/recus/<int:pk>/", receipt_views.receipt_pdf_view, name="receipt_pdf"),
    path("factures/<int:pk>/payer/", online_views.pay, name="pay"),
    path("paiement-en-ligne/<uuid:token>/", online_views.outcome, name="online_outcome"),
    path("paiement-en-ligne/<uuid:token>/retour/", online_views.come_back, name="online_return"),
    path(
        "paiement-en-ligne/<uuid:token>/notification/",
        online_views.notify,
        name="online_notify",
    ),
]
