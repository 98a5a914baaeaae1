"""The admin side of portail.lib.decisions: accept a selection, or « Refuser avec un motif ».

A ModelAdmin of a Decision model mixes DecisionAdminMixin in, names its rows (the nouns
below) and says in `decide_rows` how its service decides them (the service applies the
decision, then tells the family); its actions call `approve_rows` and `refuse_rows`. The
refusal asks one reason for the whole selection on one page, the same for every model.
"""

from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

REASON_MAX_LENGTH = 300


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        error_messages={
            "required": _(
                "Ce champ est obligatoire. Indiquez le motif du refus : la famille le recevra."
            )
        },
    )

    def __init__(self, *args, help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = help_text


@dataclass
class Outcome:
    """What deciding a selection did: rows decided, rows left pending (each with why)."""

    decided: int = 0
    skipped: list[str] = field(default_factory=list)


class DecisionAdminMixin:
    # « 2 demande(s) acceptée(s) », « La demande suivante sera refusée », all feminine.
    decision_noun = _("demande")
    decision_noun_plural = _("demandes")
    decision_the = _("La demande")
    refuse_consequence = _("Chaque famille reçoit le motif dans sa boîte de réception.")
    refuse_help_text = _("Il est envoyé à la famille dans sa boîte de réception.")
    decision_select_related: tuple[str, ...] = ()

    def decide_rows(self, request, rows: list, *, status: str, reason: str = "") -> Outcome:
        """Decide these pending rows through the model's service (which tells the families)."""
        raise NotImplementedError

    def refuse_line(self, obj) -> str:
        """A row as the refusal page lists it."""
        return str(obj)

    def refuse_form(self, data=None) -> RefuseForm:
        return RefuseForm(data, help_text=self.refuse_help_text)

    def pending_rows(self, queryset) -> list:
        return list(
            queryset.pending()
            .select_related(*self.decision_select_related)
            .order_by("requested_at", "pk")
        )

    # --- the two actions -----------------------------------------------------------------

    def approve_rows(self, request, queryset) -> None:
        self._decide(request, queryset, self.pending_rows(queryset), self.model.APPROVED)

    def refuse_rows(self, request, queryset) -> TemplateResponse | None:
        """The page asking one reason for the pending rows selected, then the refusal."""
        pending = self.pending_rows(queryset)
        form = self.refuse_form(request.POST if "confirm" in request.POST else None)
        if pending and form.is_valid():
            self._decide(
                request, queryset, pending, self.model.REFUSED, form.cleaned_data["reason"]
            )
            return None
        return TemplateResponse(
            request,
            "admin/decision_refuse.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Refuser les %(plural)s sélectionnées")
                % {"plural": self.decision_noun_plural},
                "opts": self.model._meta,
                "form": form,
                "lines": [self.refuse_line(row) for row in pending],
                "the_one": self.decision_the,
                "plural": self.decision_noun_plural,
                "consequence": self.refuse_consequence,
                "empty": _(
                    "Aucune %(noun)s en attente dans la sélection : il n'y a rien à refuser."
                )
                % {"noun": self.decision_noun},
                "action": request.POST.get("action", ""),
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "select_across": request.POST.get("select_across", "0"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _decide(self, request, queryset, pending: list, status: str, reason: str = "") -> None:
        outcome = self.decide_rows(request, pending, status=status, reason=reason)
        self.report_outcome(request, outcome, status=status, selected=queryset.count())

    # --- what the clerk reads ------------------------------------------------------------

    def report_outcome(self, request, outcome: Outcome, *, status: str, selected: int) -> None:
        label = str(dict(self.model._meta.get_field("status").choices)[status]).lower()
        noun = self.decision_noun
        already = selected - outcome.decided - len(outcome.skipped)
        if outcome.decided or not (already or outcome.skipped):
            self.message_user(
                request,
                _("%(n)s %(noun)s(s) %(label)s(s), familles prévenues.")
                % {"n": outcome.decided, "noun": noun, "label": label},
                messages.SUCCESS,
            )
        if already:
            self.message_user(
                request,
                _("%(n)s %(noun)s(s) déjà traitée(s), laissée(s) telle(s) quelle(s).")
                % {"n": already, "noun": noun},
                messages.WARNING,
            )
        if outcome.skipped:
            self.message_user(
                request,
                format_html(
                    "{}<ul>{}</ul>",
                    _("Non traitées, à ouvrir une par une :"),
                    format_html_join("", "<li>{}</li>", ((line,) for line in outcome.skipped)),
                ),
                messages.WARNING,
            )

    def message_already_decided(self, request, summary: str) -> None:
        """« Cette demande a déjà été traitée. Elle a été acceptée par … le … »."""
        self.message_user(
            request,
            _("Cette demande a déjà été traitée. Elle a été %(summary)s.") % {"summary": summary},
            messages.WARNING,
        )
