"""A family's receipt of payment, as a PDF made from the recorded payment."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from accounts.decorators import parent_required
from messaging.files import private_download

from .models import Payment
from .receipts import receipt_filename, receipt_pdf


def get_payment_or_404(request: HttpRequest, pk: int) -> Payment:
    return get_object_or_404(Payment.objects.for_family(request.user.family_id), pk=pk)


def pdf_response(payment: Payment) -> HttpResponse:
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt_filename(payment)}"'
    return private_download(response)


@parent_required
@require_GET
def receipt_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    return pdf_response(get_payment_or_404(request, pk))
