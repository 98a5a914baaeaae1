from django.urls import path

from . import receipt_views, views

app_name = "billing"

urlpatterns = [
    path("factures/", views.statement_view, name="statement"),
    path("factures/<int:pk>/", views.invoice_detail, name="invoice"),
    path("factures/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("factures/recus/<int:pk>/", receipt_views.receipt_pdf_view, name="receipt_pdf"),
]
