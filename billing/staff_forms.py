from decimal import Decimal

from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.utils.translation import gettext_lazy as _

from accounts.models import Family
from portail.admin_guards import SafeAutocompleteSelect
from portail.lib.formats import euros, month_label

from .models import Invoice, Method, Payment, Regie
from .queries import outstanding


class CreditNoteForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Montant de l'avoir (€)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
        help_text=_("Au plus ce qui reste à créditer sur la facture."),
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=Invoice._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("Imprimé sur l'avoir et lu par la famille."),
    )


OLDEST, CHOSEN = "oldest", "chosen"
DESK_METHODS = [(m.value, m.label) for m in Method if m != Method.ONLINE]  # online: PayFiP's


class PaymentForm(forms.Form):
    """The cash desk's « Enregistrer un paiement ». Only shapes the input: what may be paid
    and how is decided by billing.payments.record_payment."""

    regie = forms.ModelChoiceField(label=_("Régie"), queryset=Regie.objects.all())
    family = forms.ModelChoiceField(
        label=_("Famille"),
        queryset=Family.objects.all(),
        widget=SafeAutocompleteSelect(Payment._meta.get_field("family"), admin.site),
    )
    method = forms.ChoiceField(label=_("Mode de paiement"), choices=DESK_METHODS)
    amount = forms.DecimalField(
        label=_("Montant (€)"),
        max_digits=10,
        decimal_places=2,
        min_value=Decimal("0.01"),
        localize=True,
        error_messages={"min_value": _("Le montant doit être supérieur à zéro.")},
    )
    received_at = forms.SplitDateTimeField(
        label=_("Reçu le"),
        widget=widgets.AdminSplitDateTime,
        help_text=_("Date et heure de remise du paiement (maintenant par défaut)."),
    )
    reference = forms.CharField(
        label=_("N° de chèque ou référence"),
        max_length=100,
        required=False,
        help_text=_("Obligatoire pour un chèque ; n° de CESU ou de prélèvement sinon."),
    )
    bank = forms.CharField(
        label=_("Banque"),
        max_length=100,
        required=False,
        help_text=_("Obligatoire pour un chèque."),
    )
    allocation = forms.ChoiceField(
        label=_("Affectation"),
        choices=[(OLDEST, _("les plus anciennes d'abord")), (CHOSEN, _("les factures cochées"))],
        initial=OLDEST,
        widget=forms.RadioSelect,
    )
    invoices = forms.ModelMultipleChoiceField(
        label=_("Factures à régler"),
        queryset=Invoice.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Réglées dans l'ordre de la liste ; le reste va au crédit de la famille."),
    )

    def __init__(self, *args, family: Family | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if family is not None:
            self.fields["invoices"].queryset = (
                outstanding(Invoice.objects.for_family(family.pk))
                .select_related("regie")
                .order_by("due_date", "issued_at", "pk")
            )
            self.fields["invoices"].label_from_instance = _invoice_label

    def clean(self):
        data = super().clean()
        if data.get("method") == Method.CHEQUE:
            if not data.get("reference"):
                self.add_error("reference", _("Indiquez le numéro du chèque."))
            if not data.get("bank"):
                self.add_error("bank", _("Indiquez la banque du chèque."))
        if data.get("allocation") == CHOSEN and not data.get("invoices"):
            self.add_error(
                "invoices",
                _("Cochez au moins une facture, ou choisissez « les plus anciennes d'abord »."),
            )
        return data


def _invoice_label(invoice: Invoice) -> str:
    return (
        f"{invoice.number} — {month_label(invoice.period)}, {invoice.regie.name} : "
        f"reste {euros(invoice.remaining)} (échéance {invoice.due_date:%d/%m/%Y})"
    )


class JournalForm(forms.Form):
    mois = forms.DateField(label=_("Mois"), input_formats=["%Y-%m"])
    regie = forms.ModelChoiceField(label=_("Régie"), queryset=Regie.objects.all())
