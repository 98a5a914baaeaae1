from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .files import ACCEPTED, CheckedFile, check_upload
from .models import DocumentKind


class FamilyDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type de justificatif"), choices=DocumentKind.choices)
    description = forms.CharField(
        label=_("Précision (facultatif)"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : « certificat de Léa, absence du 12 mars »."),
    )
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("%(accepted)s, 5 Mo au plus.") % {"accepted": ACCEPTED},
        error_messages={"required": _("Choisissez le fichier à envoyer.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.checked: CheckedFile = check_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return upload
