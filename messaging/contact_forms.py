"""The forms of « Nous contacter »: a new message to a service, and a reply in a thread."""

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .contact import MAX_ATTACHMENTS, SUBJECT_MAX
from .files import ACCEPTED, check_upload
from .models import Service

BODY_MAX = 5000


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to MAX_ATTACHMENTS files, each a real PDF, JPEG or PNG under the size limit."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"

    def clean(self, data, initial=None):
        uploads = [upload for upload in _as_list(data) if upload]
        if len(uploads) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Vous pouvez joindre au plus %(max)d fichiers."),
                params={"max": MAX_ATTACHMENTS},
            )
        errors = []
        for upload in uploads:
            try:
                check_upload(upload)
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return uploads


def _as_list(data) -> list:
    return list(data) if isinstance(data, list | tuple) else [data]


def attachments_help() -> str:
    size = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
    return f"Facultatif : jusqu'à {MAX_ATTACHMENTS} fichiers {ACCEPTED}, {size} Mo au plus chacun."


def one_line(value: str) -> str:
    return " ".join(value.split())


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Votre message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Écrivez votre message."),
            "max_length": _("Votre message est trop long (%(limit_value)d caractères au plus)."),
        },
    )
    attachments = AttachmentsField(label=_("Pièces jointes"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help()


class NewThreadForm(ReplyForm):
    service = forms.ModelChoiceField(
        label=_("Service"),
        queryset=Service.objects.filter(active=True),
        empty_label=_("Choisissez un service"),
        error_messages={
            "required": _("Choisissez le service à qui vous écrivez."),
            "invalid_choice": _("Ce service n'existe pas ou ne reçoit plus de messages."),
        },
    )
    subject = forms.CharField(
        label=_("Objet"),
        max_length=SUBJECT_MAX,
        error_messages={
            "required": _("Indiquez l'objet de votre message."),
            "max_length": _("L'objet est trop long (%(limit_value)d caractères au plus)."),
        },
    )

    # One token per form shown: the same form sent twice opens one thread (contact.py).
    jeton = forms.UUIDField(
        widget=forms.HiddenInput,
        initial=uuid.uuid4,
        required=False,
        error_messages={
            "invalid": _("Ce formulaire a expiré : rechargez la page et recommencez."),
        },
    )

    field_order = ["service", "subject", "body", "attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Message")

    def clean(self):
        cleaned_data = super().clean()
        # A hidden field's error would show nowhere: it is the form's.
        if "jeton" in self.errors:
            self.add_error(None, self.errors.pop("jeton").as_data())
        return cleaned_data

    def clean_subject(self) -> str:
        # Line breaks in a subject would break the e-mail header that carries it.
        return one_line(self.cleaned_data["subject"])
