"""Staff set up régies and tariffs, read invoices and payments, credit an invoice and export
a month for the treasury.

Invoices are made by the invoice run and never edited: their page is read-only, and a
correction is a credit note (« Créer un avoir »). Payments are recorded by the cash desk's
page (the list's add button: billing.staff_views.record_payment_view) and never edited
afterwards; the payments journal of a month is linked from their list.
"""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from children.models import Child, School
from portail.lib.csv_export import csv_response
from portail.lib.formats import euros, month_label
from portail.lib.history_admin import HistoryWithInlinesAdmin

from . import online_admin, staff_views  # noqa: F401 — online_admin registers itself
from .models import (
    Allocation,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Method,
    Payment,
    Regie,
    RegieActivity,
    Tariff,
    TariffBracket,
)
from .queries import Status, with_status
from .treasury_export import invoices_csv

LOCALIZED_MONEY = {models.DecimalField: {"localize": True}}  # « 2,35 »


class RegieActivityInline(admin.TabularInline):
    model = RegieActivity
    autocomplete_fields = ("activity",)
    extra = 0


@admin.register(Regie)
class RegieAdmin(HistoryWithInlinesAdmin):
    list_display = ("name", "code", "payee", "payment_days")
    search_fields = ("name", "code")
    inlines = [RegieActivityInline]


class TariffBracketInline(admin.TabularInline):
    model = TariffBracket
    formfield_overrides = LOCALIZED_MONEY
    extra = 0


@admin.register(Tariff)
class TariffAdmin(HistoryWithInlinesAdmin):
    list_display = ("unit", "activity", "valid_from", "valid_until", "mode")
    list_filter = ("mode", "unit__activity")
    list_select_related = ("unit__activity",)
    search_fields = ("unit__name", "unit__activity__name")
    formfield_overrides = LOCALIZED_MONEY
    inlines = [TariffBracketInline]
    fieldsets = (
        (None, {"fields": ("unit", ("valid_from", "valid_until"))}),
        (
            _("Prix"),
            {
                "fields": (
                    "mode",
                    "effort_rate",
                    ("minimum", "maximum"),
                    "out_of_commune_price",
                    "pai_price",
                ),
                "description": _(
                    "Par tranches : renseignez les tranches ci-dessous. Taux d'effort : "
                    "le prix est le quotient × le taux, borné par le minimum et le maximum."
                ),
            },
        ),
        (
            _("Majorations"),
            {
                "fields": (
                    ("late_booking_kind", "late_booking_value"),
                    ("unbooked_kind", "unbooked_value"),
                    ("late_cancel_kind", "late_cancel_value"),
                )
            },
        ),
    )

    @admin.display(description=_("activité"), ordering="unit__activity__name")
    def activity(self, tariff: Tariff) -> str:
        return tariff.unit.activity.name


# --- invoices ----------------------------------------------------------------------------


class MonthFilter(admin.SimpleListFilter):
    title = _("mois facturé")
    parameter_name = "mois"

    def lookups(self, request, model_admin):
        months = Invoice.objects.dates("period", "month", order="DESC")[:36]
        return [(f"{month:%Y-%m}", month_label(month)) for month in months]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            year, month = (int(part) for part in self.value().split("-"))
        except ValueError as error:
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(period__year=year, period__month=month)


class StatusFilter(admin.SimpleListFilter):
    title = _("état du paiement")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return Status.choices

    def queryset(self, request, queryset):
        if self.value() not in Status.values:
            return queryset
        # The list's queryset carries the amounts (InvoiceAdmin.get_queryset).
        return queryset.filter(kind=InvoiceKind.INVOICE, status=self.value())


class SchoolFilter(admin.SimpleListFilter):
    title = _("école (un enfant de la famille)")
    parameter_name = "ecole"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in School.objects.values_list("pk", "name")]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        if not self.value().isdigit():
            raise IncorrectLookupParameters(self.value())
        families = Child.objects.filter(school_id=self.value()).values("family_id")
        return queryset.filter(family_id__in=families)


class ReadOnlyInline(admin.TabularInline):
    """Lines and allocations of an issued invoice or a payment: shown, never edited here."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InvoiceLineInline(ReadOnlyInline):
    model = InvoiceLine
    fields = ("child_name", "description", "days_list", "quantity", "unit_price", "amount")
    readonly_fields = fields

    @admin.display(description=_("jours"))
    def days_list(self, line: InvoiceLine) -> str:
        return ", ".join(f"{day:%d/%m}" for day in sorted(line.days)) or "—"


class InvoiceAllocationInline(ReadOnlyInline):
    model = Allocation
    fk_name = "invoice"
    verbose_name = _("règlement affecté")
    verbose_name_plural = _("règlements affectés")
    fields = ("payment", "amount")
    readonly_fields = fields


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    link_lookups = ("family",)  # « Ses factures » on a family's account page
    list_display = (
        "number",
        "kind",
        "month",
        "family_account",
        "payer_name",
        "regie",
        "amount",
        "paid_amount",
        "remaining_amount",
        "due_date",
        "status_label",
    )
    list_filter = ("kind", MonthFilter, StatusFilter, "regie", SchoolFilter)
    list_select_related = ("family", "regie")
    search_fields = ("number", "family__name", "payer_name")
    change_list_template = "admin/billing/invoice/change_list.html"
    change_form_template = "admin/billing/invoice/change_form.html"
    actions = ["export_selected", "create_credit_note"]
    inlines = [InvoiceLineInline, InvoiceAllocationInline]
    fieldsets = (
        (None, {"fields": ("number", "kind", "credit_note_of", "reason", "regie", "family_link")}),
        (_("Facture"), {"fields": ("period", "issued_at", "due_date", "created_by", "pdf_link")}),
        (_("Payeur"), {"fields": ("payer_name", "payer_address")}),
        (
            _("Montants"),
            {"fields": ("amount", "paid_amount", "credit_notes_list", "remaining_amount")},
        ),
    )
    readonly_fields = (
        "credit_note_of",
        "family_link",
        "pdf_link",
        "amount",
        "paid_amount",
        "credit_notes_list",
        "remaining_amount",
    )

    def get_queryset(self, request):
        return with_status(super().get_queryset(request), today=timezone.localdate())

    # Invoices come from the invoice run and credit notes from « Créer un avoir »; an issued
    # document is never edited nor deleted. The change permission only allows the actions.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def has_credit_note_permission(self, request):
        return request.user.has_perms(("billing.view_invoice", "billing.add_invoice"))

    # --- columns and fields

    @admin.display(description=_("mois facturé"), ordering="period")
    def month(self, invoice: Invoice) -> str:
        return month_label(invoice.period)

    @admin.display(description=_("famille"), ordering="family__name")
    def family_account(self, invoice: Invoice) -> str:
        url = reverse("admin:billing_family_account", args=[invoice.family_id])
        return format_html('<a href="{}">{}</a>', url, invoice.family.name)

    @admin.display(description=_("famille"))
    def family_link(self, invoice: Invoice) -> str:
        return format_html(
            '{} — <a href="{}">compte de la famille</a>',
            invoice.family.name,
            reverse("admin:billing_family_account", args=[invoice.family_id]),
        )

    @admin.display(description=_("avoir sur la facture"))
    def credit_note_of(self, invoice: Invoice) -> str:
        if not invoice.credited_invoice_id:
            return "—"
        url = reverse("admin:billing_invoice_change", args=[invoice.credited_invoice_id])
        return format_html('<a href="{}">{}</a>', url, invoice.credited_invoice.number)

    @admin.display(description=_("PDF"))
    def pdf_link(self, invoice: Invoice) -> str:
        if not invoice.pdf:
            return "Pas encore produit"
        url = reverse("admin:billing_invoice_pdf", args=[invoice.pk])
        return format_html('<a href="{}">Télécharger le PDF</a>', url)

    @admin.display(description=_("montant"), ordering="total")
    def amount(self, invoice: Invoice) -> str:
        return euros(-invoice.total if invoice.is_credit_note else invoice.total)

    @admin.display(description=_("payé"), ordering="paid")
    def paid_amount(self, invoice: Invoice) -> str:
        return "—" if invoice.is_credit_note else euros(invoice.paid)

    @admin.display(description=_("reste à payer"), ordering="remaining")
    def remaining_amount(self, invoice: Invoice) -> str:
        return "—" if invoice.is_credit_note else euros(invoice.remaining)

    @admin.display(description=_("état"), ordering="status")
    def status_label(self, invoice: Invoice) -> str:
        return Status(invoice.status).label if invoice.status else "—"

    @admin.display(description=_("avoirs"))
    def credit_notes_list(self, invoice: Invoice) -> str:
        notes = invoice.credit_notes.order_by("issued_at", "pk")
        return (
            format_html_join(
                ", ",
                '<a href="{}">{}</a> ({})',
                (
                    (reverse("admin:billing_invoice_change", args=[n.pk]), n.number, euros(n.total))
                    for n in notes
                ),
            )
            or "—"
        )

    # --- pages and actions

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name="billing_invoice_export"),
            path(
                "famille/<int:family_pk>/",
                view(staff_views.family_account_view),
                name="billing_family_account",
            ),
            path("<int:pk>/pdf/", view(staff_views.invoice_pdf_view), name="billing_invoice_pdf"),
            path("<int:pk>/avoir/", view(staff_views.credit_note_view), name="billing_credit_note"),
            *super().get_urls(),
        ]

    def _csv_response(self, invoices, label: str) -> HttpResponse:
        return csv_response(invoices_csv(invoices), filename=f"factures-{label}.csv")

    def export_view(self, request):
        """GET: what the list shows (same filters and search), for the treasury."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseRedirect(reverse("admin:billing_invoice_changelist") + "?e=1")
        month = request.GET.get("mois", "")
        label = month if month else f"liste-{timezone.localdate():%Y%m%d}"
        return self._csv_response(changelist.get_queryset(request), label)

    @admin.action(description=_("Exporter pour la trésorerie (CSV)"), permissions=["view"])
    def export_selected(self, request, queryset):
        return self._csv_response(queryset, f"selection-{timezone.localdate():%Y%m%d}")

    @admin.action(description=_("Créer un avoir"), permissions=["credit_note"])
    def create_credit_note(self, request, queryset):
        invoices = list(queryset.filter(kind=InvoiceKind.INVOICE)[:2])
        if len(invoices) != 1:
            self.message_user(
                request,
                _("Un avoir se fait sur une seule facture : cochez-en une (pas un avoir)."),
                level="warning",
            )
            return None
        return HttpResponseRedirect(reverse("admin:billing_credit_note", args=[invoices[0].pk]))


# --- payments ----------------------------------------------------------------------------


class CancelledFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return [("valide", _("Valide")), ("annule", _("Annulé"))]

    def queryset(self, request, queryset):
        if self.value() == "valide":
            return queryset.filter(cancelled_at__isnull=True)
        if self.value() == "annule":
            return queryset.filter(cancelled_at__isnull=False)
        return queryset


class PaymentAllocationInline(ReadOnlyInline):
    model = Allocation
    fk_name = "payment"
    fields = ("invoice", "amount")
    readonly_fields = fields


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read here: a payment is recorded, with its allocation and receipt, at the cash desk."""

    list_display = (
        "receipt_number",
        "received_at",
        "family",
        "regie",
        "method",
        "payment_amount",
        "reference",
        "recorded_by",
        "state",
    )
    list_filter = ("method", CancelledFilter, "regie", "received_at")
    list_select_related = ("family", "regie", "recorded_by")
    search_fields = ("receipt_number", "reference", "family__name")
    date_hierarchy = "received_at"
    change_list_template = "admin/billing/payment/change_list.html"
    inlines = [PaymentAllocationInline]
    fields = (
        "receipt_number",
        "receipt_link",
        "regie",
        "family_link",
        "method",
        "payment_amount",
        "received_at",
        "reference",
        "bank",
        "transaction_id",
        "authorisation_number",
        "recorded_by",
        "state",
    )
    readonly_fields = ("receipt_link", "family_link", "payment_amount", "state")

    @admin.display(description=_("montant"), ordering="amount")
    def payment_amount(self, payment: Payment) -> str:
        return euros(payment.amount)

    @admin.display(description=_("état"))
    def state(self, payment: Payment) -> str:
        if payment.is_cancelled:
            return format_html(
                "<strong>Annulé</strong> le {} par {} : {}",
                timezone.localtime(payment.cancelled_at).strftime("%d/%m/%Y %H:%M"),
                payment.cancelled_by or "—",
                payment.cancel_reason,
            )
        if payment.method == Method.ONLINE:
            return "Valide"
        return format_html(
            'Valide — <a href="{}">annuler ce paiement (chèque impayé, erreur…)</a>',
            reverse("admin:billing_payment_cancel", args=[payment.pk]),
        )

    @admin.display(description=_("reçu"))
    def receipt_link(self, payment: Payment) -> str:
        url = reverse("admin:billing_payment_receipt", args=[payment.pk])
        return format_html('<a href="{}">Imprimer le reçu (PDF)</a>', url)

    @admin.display(description=_("famille"))
    def family_link(self, payment: Payment) -> str:
        return format_html(
            '{} — <a href="{}">compte de la famille</a>',
            payment.family.name,
            reverse("admin:billing_family_account", args=[payment.family_id]),
        )

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "journal/", view(staff_views.payment_journal_view), name="billing_payment_journal"
            ),
            path(
                "journal/csv/",
                view(staff_views.payment_journal_csv_view),
                name="billing_payment_journal_csv",
            ),
            path(
                "<int:pk>/recu/",
                view(staff_views.payment_receipt_view),
                name="billing_payment_receipt",
            ),
            path(
                "<int:pk>/annuler/",
                view(staff_views.cancel_payment_view),
                name="billing_payment_cancel",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        # A payment is recorded through billing.payments, never saved by a ModelForm.
        return staff_views.record_payment_view(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
