"""Forms of the staff pages: daily list, pointage, booking for a family, cancelling a day."""

from datetime import date, timedelta

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from children.models import Child, School
from portail.admin_guards import SafeAutocompleteSelect as AutocompleteSelect

from .models import Activity, Booking, Closure, Unit, Weekday

MAX_RANGE_DAYS = 92  # three months at most in one go


class DayInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def day_field(label=None, **kwargs) -> forms.DateField:
    return forms.DateField(label=label or _("Jour"), widget=DayInput(), **kwargs)


def activities():
    return Activity.objects.filter(active=True)


class UnitChoiceField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        queryset = (
            Unit.objects.filter(activity__active=True)
            .select_related("activity")
            .order_by("activity__position", "activity__name", "position", "name")
        )
        super().__init__(queryset=queryset, **kwargs)

    def label_from_instance(self, unit: Unit) -> str:
        return f"{unit.activity.name} — {unit.name}"


class DailyListForm(forms.Form):
    day = day_field()
    activity = forms.ModelChoiceField(label=_("Activité"), queryset=activities())
    school = forms.ModelChoiceField(
        label=_("École"),
        queryset=School.objects.all(),
        required=False,
        empty_label=_("Toutes les écoles"),
    )


class AttendanceForm(forms.Form):
    day = day_field()
    unit = UnitChoiceField(label=_("Activité et unité"))
    school = forms.ModelChoiceField(
        label=_("École"),
        queryset=School.objects.all(),
        required=False,
        empty_label=_("Toutes les écoles"),
    )


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, child: Child) -> str:
        klass = f", {child.school_class}" if child.school_class else ""
        return f"{child.last_name} {child.first_name}{klass}"


class UnbookedForm(forms.Form):
    """A child present without a booking: one of the children enrolled in the activity."""

    child = ChildChoiceField(
        label=_("Enfant présent sans réservation"), queryset=Child.objects.none()
    )

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        if children is not None:
            self.fields["child"].queryset = children


class OnBehalfForm(forms.Form):
    BOOK, CANCEL = "book", "cancel"

    child = forms.ModelChoiceField(
        label=_("Enfant"),
        queryset=Child.objects.select_related("family"),
        widget=AutocompleteSelect(Booking._meta.get_field("child"), admin.site),
    )
    unit = UnitChoiceField(label=_("Activité et unité"))
    start = day_field(_("Du"))
    end = day_field(_("Au"), required=False, help_text=_("Vide : le seul jour « du »."))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Jours de la semaine"),
        choices=Weekday.choices[:5],
        coerce=int,
        initial=[0, 1, 2, 3, 4],
        widget=forms.CheckboxSelectMultiple,
    )
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[(BOOK, _("Réserver")), (CANCEL, _("Annuler"))],
        initial=BOOK,
        widget=forms.RadioSelect,
    )
    late = forms.BooleanField(
        label=_("Annulation tardive facturée"),
        required=False,
        help_text=_("Pour une annulation : la journée restera facturée à la famille."),
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end is None and "end" not in self.errors:
            cleaned["end"] = end = start
        if start and end:
            if end < start:
                self.add_error("end", _("La fin de la période précède son début."))
            elif (end - start).days >= MAX_RANGE_DAYS:
                self.add_error(
                    "end", _("Trois mois au plus à la fois (%(n)s jours).") % {"n": MAX_RANGE_DAYS}
                )
        if cleaned.get("late") and cleaned.get("action") != self.CANCEL:
            self.add_error("late", _("« Annulation tardive » ne vaut que pour une annulation."))
        return cleaned

    def days(self) -> list[date]:
        start, end = self.cleaned_data["start"], self.cleaned_data["end"]
        weekdays = set(self.cleaned_data["weekdays"])
        count = (end - start).days + 1
        days = (start + timedelta(days=n) for n in range(count))
        return [day for day in days if day.weekday() in weekdays]


class CancelDayForm(forms.Form):
    day = day_field()
    activity = forms.ModelChoiceField(
        label=_("Activité"),
        queryset=activities(),
        required=False,
        empty_label=_("Toutes les activités"),
    )
    reason = forms.CharField(
        label=_("Motif"),
        max_length=Closure._meta.get_field("reason").max_length,
        help_text=_("Lu par les familles : « Grève », « Fermeture exceptionnelle »…"),
    )
