"""The forms a family fills in to ask for a change: the model's own labels and rules.

Each form is a ModelForm of one section's fields, so that it validates exactly like the
admin does (field validators, then the model's clean()) and answers in French; the form
works on a copy of the record, which stays untouched until the town hall approves.
"""

import contextlib

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from messaging.models import DocumentKind, FamilyDocument
from portail.lib.phones import normalise_phone, validate_phone

from .models import Family, Guardian


class RecordForm(forms.ModelForm):
    """A section's form: dates as date pickers, phone numbers stored in one readable form."""

    def __init__(self, *args, family: Family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
            elif isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3

    def phone_fields(self) -> list[str]:
        model = self._meta.model
        return [
            name
            for name in self.fields
            if validate_phone in getattr(model._meta.get_field(name), "validators", [])
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        for name in self.phone_fields():
            # A wrong number stays as typed: the model's validator reports it, in French.
            with contextlib.suppress(ValidationError):
                cleaned[name] = normalise_phone(cleaned.get(name, ""))
        return cleaned


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FamilyDocument) -> str:
        return f"{obj.name} (envoyé le {obj.uploaded_at:%d/%m/%Y})"


def family_documents(family: Family, kind: str, current_pk: int | None = None):
    """The family's own justificatifs of one kind (and the one already chosen, if any)."""
    return FamilyDocument.objects.for_recipient(family.pk).filter(
        Q(kind=kind) | Q(pk=current_pk or 0)
    )


class QuotientForm(RecordForm):
    quotient_document = DocumentChoiceField(
        queryset=FamilyDocument.objects.none(),
        required=False,
        label="Attestation du quotient familial",
        help_text="Parmi les justificatifs que vous avez envoyés à la mairie.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["quotient_document"].queryset = family_documents(
            self.family, DocumentKind.CAF, self.instance.quotient_document_id
        )


class FamilyBillingForm(RecordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["billing_guardian"]
        field.queryset = Guardian.objects.filter(family=self.family).filter(
            Q(can_be_billed=True) | Q(pk=self.instance.billing_guardian_id or 0)
        )
        field.help_text = (
            "Parmi les responsables légaux qui peuvent être facturés : ajoutez-en un dans "
            "« Responsables légaux » s'il manque."
        )
