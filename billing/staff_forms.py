from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Invoice


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
