"""The staff pages of billing, inside the admin (/admin/billing/invoice/…).

- « Compte de la famille »: a family's statement for any school year, as the family sees it;
- an invoice's PDF, as it was stored at issue;
- « Créer un avoir »: an amount and a reason, on one invoice.

Each view is wrapped by the admin site (staff login) and checks its own permission.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Family

from .credit_notes import credit_note
from .formats import euros
from .models import Invoice, InvoiceKind
from .queries import with_amounts
from .staff_forms import CreditNoteForm
from .statements import account_summary, choose_year, statement
from .views import stored_pdf

VIEW_INVOICE = "billing.view_invoice"
ADD_INVOICE = "billing.add_invoice"


def _require(request: HttpRequest, *perms: str) -> None:
    if not request.user.has_perms(perms):
        raise PermissionDenied


def _context(request: HttpRequest, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, "opts": Invoice._meta, **extra}


@require_GET
def family_account_view(request: HttpRequest, family_pk: int) -> HttpResponse:
    _require(request, VIEW_INVOICE)
    family = get_object_or_404(Family, pk=family_pk)
    today = timezone.localdate()
    choice = choose_year(family=family, name=request.GET.get("annee", ""), today=today)
    if choice.error:
        messages.error(request, choice.error)
    return render(
        request,
        "admin/billing/family_account.html",
        _context(
            request,
            f"Compte de la famille {family.name}",
            family=family,
            summary=account_summary(family=family, today=today),
            years=choice.years,
            school_year=choice.chosen,
            statement=choice.chosen and statement(family=family, school_year=choice.chosen),
        ),
    )


@require_GET
def invoice_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, VIEW_INVOICE)
    invoice = get_object_or_404(Invoice, pk=pk)
    response = stored_pdf(invoice)
    if response is None:
        messages.error(
            request,
            f"Le PDF de {invoice} manque : il n'est pas refait (un document émis ne change "
            "pas). Signalez-le à l'administrateur du portail.",
        )
        return redirect("admin:billing_invoice_change", invoice.pk)
    return response


@require_http_methods(["GET", "POST"])
def credit_note_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require(request, VIEW_INVOICE, ADD_INVOICE)
    invoices = Invoice.objects.filter(kind=InvoiceKind.INVOICE).select_related("family", "regie")
    invoice = get_object_or_404(with_amounts(invoices), pk=pk)
    form = CreditNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            note = credit_note(
                invoice=invoice,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Avoir {note.number} de {euros(note.total)} créé sur la facture {invoice.number}.",
            )
            return redirect("admin:billing_invoice_change", note.pk)
    return render(
        request,
        "admin/billing/invoice/credit_note.html",
        _context(
            request,
            f"Créer un avoir sur la facture {invoice.number}",
            invoice=invoice,
            room=invoice.total - invoice.credited,
            form=form,
        ),
        status=400 if form.errors else 200,
    )
