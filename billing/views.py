"""« Factures »: the seed's « Relevé des opérations » per school year, and each invoice
(its page and its PDF, kept as it was issued)."""

import logging
from itertools import groupby

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import parent_required
from messaging.files import serve_private

from .models import Invoice
from .online import payable_invoices
from .queries import with_amounts
from .statements import choose_year, dues_of, statement

logger = logging.getLogger(__name__)


# --- ownership: a family only ever reaches its own invoices --------------------------------


def get_invoice_or_404(request: HttpRequest, pk: int) -> Invoice:
    invoices = with_amounts(Invoice.objects.for_family(request.user.family_id))
    return get_object_or_404(invoices.select_related("regie", "credited_invoice"), pk=pk)


# --- the PDF, as issued --------------------------------------------------------------------


def pdf_filename(invoice: Invoice) -> str:
    return f"{'avoir' if invoice.is_credit_note else 'facture'}-{invoice.number}.pdf"


def stored_pdf(invoice: Invoice) -> FileResponse | None:
    """The PDF made when the invoice was issued; None (and an error in the log) if it is
    missing. It is never made again here: an issued invoice does not change."""
    if invoice.pdf:
        try:
            return serve_private(
                invoice.pdf, name=pdf_filename(invoice), content_type="application/pdf"
            )
        except FileNotFoundError:
            pass
    logger.error(
        "Le PDF de la facture %s manque (%s).", invoice.number, invoice.pdf.name or "aucun fichier"
    )
    return None


# --- pages ---------------------------------------------------------------------------------


@parent_required
@require_GET
def statement_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    family = request.user.family
    choice = choose_year(family=family, name=request.GET.get("annee", ""), today=today)
    if choice.error:
        messages.error(request, choice.error)
    payable = payable_invoices(family.pk)
    return render(
        request,
        "billing/statement.html",
        {
            "dues": dues_of(payable, today=today),
            "payable": payable,
            "years": choice.years,
            "school_year": choice.chosen,
            "statement": choice.chosen and statement(family=family, school_year=choice.chosen),
        },
    )


@parent_required
@require_GET
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_invoice_or_404(request, pk)
    lines = list(invoice.lines.order_by("child_name", "position"))
    by_child = [
        (name, list(group)) for name, group in groupby(lines, key=lambda line: line.child_name)
    ]
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "by_child": by_child,
            "credit_notes": invoice.credit_notes.order_by("issued_at", "pk"),
            "allocations": invoice.allocations.standing()
            .select_related("payment")
            .order_by("payment__received_at", "pk"),
        },
    )


@parent_required
@require_GET
def invoice_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = get_invoice_or_404(request, pk)
    response = stored_pdf(invoice)
    if response is None:
        return render(request, "billing/pdf_missing.html", {"invoice": invoice}, status=404)
    return response
