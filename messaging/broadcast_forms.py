"""Staff forms: who a broadcast or a publication is for, and what a group message says.

The audience is one select built when the form is made, from every registered audience
(messaging.audiences): its options are grouped by audience and encoded "kind|value" only
inside the form; the cleaned value is the pair (kind, value).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from . import audiences

SEPARATOR = "|"


def encode(kind: str, value: str) -> str:
    return f"{kind}{SEPARATOR}{value}"


def audience_choices() -> list:
    """Every family first, then one group of options per registered audience."""
    choices: list = []
    for audience in audiences.registered():
        options = [(encode(audience.key, value), label) for value, label in audience.choices()]
        if audience.key == audiences.ALL:
            choices.extend(options)
        elif options:
            choices.append((audience.label, options))
    return choices


class AudienceLabels:
    """Names audiences as audiences.describe() does, with one query per audience kind in all
    (describe() asks again for every row)."""

    def __init__(self):
        self.kinds = {audience.key: audience.label for audience in audiences.registered()}
        self.values = {
            (audience.key, value): label
            for audience in audiences.registered()
            for value, label in audience.choices()
        }

    def __call__(self, kind: str, value: str) -> str:
        if kind not in self.kinds:
            return kind
        if kind == audiences.ALL:
            return self.kinds[kind]
        return f"{self.kinds[kind]} : {self.values.get((kind, value), value)}"


class AudienceFormMixin(forms.Form):
    """For a ModelForm of a model with audience_kind / audience_value."""

    audience = forms.ChoiceField(label=_("destinataires"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = audience_choices()
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk:
            self.initial["audience"] = encode(instance.audience_kind, instance.audience_value)

    def clean_audience(self) -> tuple[str, str]:
        kind, _, value = self.cleaned_data["audience"].partition(SEPARATOR)
        return kind, value

    def clean(self):
        cleaned = super().clean()
        if "audience" in cleaned:
            self.instance.audience_kind, self.instance.audience_value = cleaned["audience"]
        return cleaned


def validate_link(value: str) -> None:
    """A page of the portal ("/factures/") or a web address; nothing else (no javascript:)."""
    if value.startswith("/") and not value.startswith("//"):
        return
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise ValidationError(
            _("Indiquez une page du portail (commençant par /) ou une adresse web en https://."),
        ) from None


class GroupMessageForm(forms.Form):
    """What staff write to several families at once (the family list's action)."""

    subject = forms.CharField(label=_("objet"), max_length=200)
    body = forms.CharField(label=_("message"), widget=forms.Textarea(attrs={"rows": 8}))
    sender = forms.CharField(label=_("expéditeur"), max_length=100, initial="La mairie")
    link_url = forms.CharField(
        label=_("lien"), max_length=500, required=False, validators=[validate_link]
    )
    link_label = forms.CharField(label=_("texte du lien"), max_length=100, required=False)
