"""The staff pages of billing, inside the admin (/admin/billing/invoice/…).

- « Compte de la famille »: a family's statement for any school year, as the family sees it;
- an invoice's PDF, as it was stored at issue;
- « Créer un avoir »: an amount and a reason, on one invoice;
- the cash desk's « Enregistrer un paiement », a payment's receipt, and the payments
  journal of a régie's month (page and CSV).

Each view is wrapped by the admin site (staff login) and checks its own permission.
"""

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import Family
from portail.lib.csv_export import csv_response
from portail.lib.formats import euros, month_label

from . import receipt_views
from .credit_notes import credit_note
from .journal import Journal, payments_journal
from .models import Invoice, InvoiceKind, Payment, Regie
from .payments import PaymentError, cancel_payment, record_payment
from .queries import with_amounts
from .receipts import send_receipt
from .staff_forms import CHOSEN, CreditNoteForm, JournalForm, PaymentForm
from .statements import account_summary, choose_year, statement
from .treasury_export import journal_csv
from .views import stored_pdf

VIEW_INVOICE = "billing.view_invoice"
ADD_INVOICE = "billing.add_invoice"
VIEW_PAYMENT = "billing.view_payment"
ADD_PAYMENT = "billing.add_payment"
CHANGE_PAYMENT = "billing.change_payment"


def _context(request: HttpRequest, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, "opts": Invoice._meta, **extra}


@require_GET
@permission_required(VIEW_INVOICE, raise_exception=True)
def family_account_view(request: HttpRequest, family_pk: int) -> HttpResponse:
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
@permission_required(VIEW_INVOICE, raise_exception=True)
def invoice_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
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
@permission_required((VIEW_INVOICE, ADD_INVOICE), raise_exception=True)
def credit_note_view(request: HttpRequest, pk: int) -> HttpResponse:
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


# --- payments: the cash desk, a receipt, the journal ----------------------------------------


def _payment_context(request: HttpRequest, title: str, **extra) -> dict:
    return {**admin.site.each_context(request), "title": title, "opts": Payment._meta, **extra}


def _desk_family(request: HttpRequest) -> Family | None:
    """The family whose invoices the form lists: the one posted, or the one linked to."""
    raw = request.POST.get("family") or request.GET.get("famille", "")
    return Family.objects.filter(pk=raw).first() if raw.isdigit() else None


@require_http_methods(["GET", "POST"])
@permission_required(ADD_PAYMENT, raise_exception=True)
def record_payment_view(request: HttpRequest) -> HttpResponse:
    family = _desk_family(request)
    initial = {"received_at": timezone.localtime(), "family": family}
    if regie := Regie.objects.order_by("name").first():
        initial["regie"] = regie
    form = PaymentForm(request.POST or None, family=family, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            payment = record_payment(
                regie=data["regie"],
                family=data["family"],
                method=data["method"],
                amount=data["amount"],
                received_at=data["received_at"],
                reference=data["reference"],
                bank=data["bank"],
                invoices=list(data["invoices"]) if data["allocation"] == CHOSEN else None,
                recorded_by=request.user,
            )
        except PaymentError as error:
            form.add_error(None, error)
        else:
            transaction.on_commit(lambda: send_receipt(payment))
            messages.success(
                request,
                format_html(
                    "Paiement de {} enregistré : reçu n° {}, envoyé à la famille. "
                    '<a href="{}">Imprimer le reçu (PDF)</a>',
                    euros(payment.amount),
                    payment.receipt_number,
                    reverse("admin:billing_payment_receipt", args=[payment.pk]),
                ),
            )
            return redirect("admin:billing_payment_change", payment.pk)
    return render(
        request,
        "admin/billing/payment/record.html",
        _payment_context(request, "Enregistrer un paiement", form=form, family=family),
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@permission_required((VIEW_PAYMENT, CHANGE_PAYMENT), raise_exception=True)
def cancel_payment_view(request: HttpRequest, pk: int) -> HttpResponse:
    """« Annuler ce paiement »: a bounced cheque, a mistake at the desk — with its reason."""
    payment = get_object_or_404(Payment.objects.select_related("family", "regie"), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            cancel_payment(payment_pk=pk, reason=request.POST.get("reason", ""), by=request.user)
        except PaymentError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request,
                f"Paiement {payment.receipt_number} annulé : la famille est prévenue et les "
                "factures qu'il réglait sont de nouveau à payer.",
            )
            return redirect("admin:billing_payment_change", pk)
    return render(
        request,
        "admin/billing/payment/cancel.html",
        _payment_context(
            request,
            f"Annuler le paiement {payment.receipt_number}",
            payment=payment,
            error=error,
            reason=request.POST.get("reason", ""),
        ),
        status=400 if error else 200,
    )


@require_GET
@permission_required(VIEW_PAYMENT, raise_exception=True)
def payment_receipt_view(request: HttpRequest, pk: int) -> HttpResponse:
    return receipt_views.pdf_response(get_object_or_404(Payment, pk=pk))


def _journal(request: HttpRequest) -> tuple[JournalForm, Journal | None]:
    today = timezone.localdate()
    query = request.GET.copy()
    query.setdefault("mois", f"{today:%Y-%m}")
    if "regie" not in query and (regie := Regie.objects.order_by("name").first()):
        query["regie"] = str(regie.pk)
    form = JournalForm(query)
    if not form.is_valid():
        return form, None
    return form, payments_journal(regie=form.cleaned_data["regie"], month=form.cleaned_data["mois"])


@require_GET
@permission_required(VIEW_PAYMENT, raise_exception=True)
def payment_journal_view(request: HttpRequest) -> HttpResponse:
    form, journal = _journal(request)
    return render(
        request,
        "admin/billing/payment/journal.html",
        _payment_context(
            request,
            "Journal des paiements"
            + (f" — {journal.regie.name}, {month_label(journal.month)}" if journal else ""),
            form=form,
            journal=journal,
            regies=Regie.objects.order_by("name"),
        ),
        status=200 if journal else 400,
    )


@require_GET
@permission_required(VIEW_PAYMENT, raise_exception=True)
def payment_journal_csv_view(request: HttpRequest) -> HttpResponse:
    form, journal = _journal(request)
    if journal is None:
        messages.error(request, "Choisissez une régie et un mois (AAAA-MM).")
        return redirect("admin:billing_payment_journal")
    name = f"paiements-{journal.regie.code}-{journal.month:%Y-%m}.csv"
    return csv_response(journal_csv(journal), filename=name)
