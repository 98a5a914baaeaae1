"""The forms of a child's record that need more than the model's own form fields."""

from django import forms

from accounts.record_forms import DocumentChoiceField, RecordForm, family_documents
from messaging.models import DocumentKind, FamilyDocument

from .models import Diet


class HealthForm(RecordForm):
    diets = forms.TypedMultipleChoiceField(
        label="Régimes alimentaires",
        choices=Diet.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Ce que l'enfant ne mange pas ou mange autrement.",
    )
    pai_document = DocumentChoiceField(
        queryset=FamilyDocument.objects.none(),
        required=False,
        label="Document PAI",
        help_text="Parmi les justificatifs « Document PAI » que vous avez envoyés à la mairie.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pai_document"].queryset = family_documents(
            self.family, DocumentKind.PAI, self.instance.pai_document_id
        )
