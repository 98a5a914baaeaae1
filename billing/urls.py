from django.urls import path

from . import views

app_name = "billing"

urlpatterns = [
    path("factures/", views.statement_view, name="statement"),
    path("factures/<int:pk>/", views.invoice_detail, name="invoice"),
    path("factures/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
]
