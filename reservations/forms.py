"""The parent's forms: typical week, enrolment request, medical absence."""

import re
from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child
from messaging.files import ACCEPTED, CheckedFile, check_upload

from .models import Activity, SchoolYear, Unit, Weekday
from .month import active_units, unit_label

LONGEST_PERIOD = timedelta(days=366)
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Child) -> str:
        return obj.first_name


class ChildrenField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Child) -> str:
        return obj.first_name


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj, getattr(obj, "siblings", 1))


def family_children(family_id: int):
    return Child.objects.filter(family_id=family_id).order_by("birth_date", "first_name")


def parse_dates(text: str) -> list[date]:
    """« 16/02/2027, 17/02/2027 » (commas, spaces, semicolons or new lines between)."""
    days = []
    for word in re.split(r"[\s,;]+", text.strip()):
        if not word:
            continue
        for fmt in DATE_FORMATS:
            try:
                days.append(datetime.strptime(word, fmt).date())
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _(
                    "« %(word)s » n'est pas une date : écrivez-la JJ/MM/AAAA "
                    "(par exemple 16/02/2027)."
                ),
                params={"word": word[:30]},
            )
    return days


class TypicalWeekForm(forms.Form):
    BOOK, CANCEL = "book", "cancel"

    children = ChildrenField(
        label=_("Enfants"),
        queryset=Child.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un enfant.")},
    )
    unit = UnitChoiceField(
        label=_("Activité"),
        queryset=Unit.objects.none(),
        empty_label=_("— Choisir —"),
        error_messages={"required": _("Choisissez l'activité.")},
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Jours de la semaine"),
        choices=[(d.value, d.label.capitalize()) for d in Weekday if d.value < 5],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un jour de la semaine.")},
    )
    start = forms.DateField(label=_("Du"), widget=DATE_INPUT, input_formats=DATE_FORMATS)
    end = forms.DateField(label=_("Au (inclus)"), widget=DATE_INPUT, input_formats=DATE_FORMATS)
    exceptions = forms.CharField(
        label=_("Sauf les jours (facultatif)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dates au format JJ/MM/AAAA, séparées par des virgules ou des espaces."),
    )
    action = forms.ChoiceField(
        label=_("Que faire ces jours-là ?"),
        choices=[(BOOK, _("Réserver")), (CANCEL, _("Annuler les réservations"))],
        initial=BOOK,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, family_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].queryset = family_children(family_id)
        units = active_units()
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=[u.pk for u in units])
        self.fields["unit"].choices = [("", _("— Choisir —"))] + [
            (unit.pk, unit_label(unit, unit.siblings)) for unit in units
        ]
        self._units = {unit.pk: unit for unit in units}

    def clean_unit(self) -> Unit:
        unit = self.cleaned_data["unit"]
        return self._units.get(unit.pk, unit)  # with its activity's rules, already loaded

    def clean_exceptions(self) -> list[date]:
        return parse_dates(self.cleaned_data.get("exceptions") or "")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("La fin de la période précède son début."))
            elif end - start > LONGEST_PERIOD:
                self.add_error("end", _("Une période d'un an au plus, s'il vous plaît."))
            if start < timezone.localdate():
                self.add_error("start", _("La période ne peut pas commencer dans le passé."))
        return data


class EnrolmentForm(forms.Form):
    child = ChildChoiceField(
        label=_("Enfant"), queryset=Child.objects.none(), empty_label=_("— Choisir —")
    )
    activity = forms.ModelChoiceField(
        label=_("Activité"),
        queryset=Activity.objects.filter(active=True),
        empty_label=_("— Choisir —"),
    )
    school_year = forms.ModelChoiceField(
        label=_("Année scolaire"), queryset=SchoolYear.objects.none(), empty_label=None
    )

    def __init__(self, *args, family_id: int, years: list[SchoolYear], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = family_children(family_id)
        self.fields["school_year"].queryset = SchoolYear.objects.filter(
            pk__in=[y.pk for y in years]
        ).order_by("start")
        if years:
            self.fields["school_year"].initial = years[0].pk


class AbsenceForm(forms.Form):
    child = ChildChoiceField(
        label=_("Enfant"), queryset=Child.objects.none(), empty_label=_("— Choisir —")
    )
    start = forms.DateField(
        label=_("Premier jour d'absence"), widget=DATE_INPUT, input_formats=DATE_FORMATS
    )
    end = forms.DateField(
        label=_("Dernier jour d'absence"), widget=DATE_INPUT, input_formats=DATE_FORMATS
    )
    certificate = forms.FileField(
        label=_("Certificat médical"),
        help_text=_("%(accepted)s, 5 Mo au plus.") % {"accepted": ACCEPTED},
        error_messages={"required": _("Joignez le certificat médical.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    comment = forms.CharField(label=_("Précision (facultatif)"), max_length=300, required=False)

    def __init__(self, *args, family_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = family_children(family_id).select_related("family")

    def clean_certificate(self):
        upload = self.cleaned_data["certificate"]
        try:
            self.checked: CheckedFile = check_upload(upload)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return upload

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Le dernier jour d'absence précède le premier."))
        return data
