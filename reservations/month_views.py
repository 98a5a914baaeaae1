"""« Réservations »: the family's month (a table per week on a desktop, the list of one week
on a phone), one submit to book and cancel many days, and the typical week."""

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.decorators import parent_required

from . import changes, month, typical_week
from .forms import TypicalWeekForm
from .periods import Period

RESULTS_KEY = "reservations_results"


def _period(request: HttpRequest, source) -> tuple[Period, str | None]:
    today = timezone.localdate()
    try:
        return Period.from_query(
            mois=source.get("mois", ""), semaine=source.get("semaine", ""), today=today
        ), None
    except ValueError as error:
        return Period.from_query(today=today), str(error)


def _month_url(period: Period) -> str:
    """Back to the month and the week the parent was looking at."""
    query = {"mois": f"{period.first:%Y-%m}", "semaine": f"{period.monday:%Y-%m-%d}"}
    return f"{reverse('reservations:month')}?{urlencode(query)}"


def _keep(request: HttpRequest, results: list[changes.Result]) -> None:
    """What a submit did, for the page after the redirect; and a one-line summary."""
    request.session[RESULTS_KEY] = [result.as_dict() for result in results]
    refused = sum(1 for r in results if not r.done)
    if not results:
        messages.info(request, "Aucun jour coché : rien n'a été modifié.")
    elif refused:
        messages.warning(
            request,
            f"{len(results) - refused} fait(s), {refused} refusé(s) : le détail et les raisons "
            "sont ci-dessous.",
        )
    else:
        messages.success(request, f"C'est fait : {len(results)} demande(s) enregistrée(s).")


@parent_required
@require_http_methods(["GET", "POST"])
def month_view(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return apply_choices(request)
    period, error = _period(request, request.GET)
    if error:
        messages.error(request, error)
    grid = month.build(family_id=request.user.family_id, start=period.start, end=period.end)
    results = [changes.Result.from_dict(r) for r in request.session.pop(RESULTS_KEY, [])]
    weeks = [grid.week(monday) for monday in period.mondays]
    # The phone's week is most often one of the month's tables, already worked out.
    phone_week = next((w for w in weeks if w.monday == period.monday), None)
    phone_week = phone_week or grid.week(period.monday)
    totals = grid.totals(period.first, period.last)
    return render(
        request,
        "reservations/month.html",
        {
            "period": period,
            "weeks": [(week, month.group_by_child(week.rows)) for week in weeks],
            "phone_week": phone_week,
            "phone_days": phone_week.by_day(),
            "totals": totals,
            "total_amount": grid.total_amount(totals),
            "not_enrolled": grid.not_enrolled,
            "children": grid.children,
            "has_rows": bool(grid.rows),
            "done": [r for r in results if r.done],
            "refused": [r for r in results if not r.done],
        },
    )


def apply_choices(request: HttpRequest) -> HttpResponse:
    """Carry out the checked boxes, then show what was done and refused (POST-redirect-GET).

    A child of another family refuses the whole submit (404); an unreadable value or an
    unknown unit changes nothing and says why."""
    period, _ = _period(request, request.POST)
    back = _month_url(period)
    try:
        choices = changes.parse(request.POST.getlist("choix"))
        results = changes.apply(family_id=request.user.family_id, choices=choices, by=request.user)
    except changes.BadChoices as error:
        messages.error(request, str(error))
        return redirect(back)
    _keep(request, results)
    return redirect(back)


@parent_required
@require_http_methods(["GET", "POST"])
def typical_week_view(request: HttpRequest) -> HttpResponse:
    family_id = request.user.family_id
    if request.method == "POST":
        # Another family's child is a 404, as everywhere, not a form error.
        changes.family_children(family_id, _ints(request.POST.getlist("children")))
    form = TypicalWeekForm(request.POST or None, family_id=family_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        children, unit = list(data["children"]), data["unit"]
        plan = typical_week.plan(
            unit=unit,
            children=children,
            weekdays=data["weekdays"],
            start=data["start"],
            end=data["end"],
            exceptions=data["exceptions"],
        )
        results, nothing = typical_week.apply(
            unit=unit, children=children, days=plan.days, action=data["action"], by=request.user
        )
        _keep(request, sorted(results, key=lambda r: (r.day, r.child)))
        if plan.closed:
            messages.info(
                request,
                f"{plan.closed} jour(s) de la période sans accueil pour cette activité "
                "(vacances, jours fériés, fermetures) n'ont pas été demandés.",
            )
        if nothing:
            messages.info(request, f"{nothing} jour(s) n'avaient pas de réservation à annuler.")
        return redirect(_month_url(Period.of_month(data["start"].replace(day=1), data["start"])))
    return render(
        request,
        "reservations/typical_week.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _ints(values: list[str]) -> set[int]:
    # Anything else is not an id: the form says it is not a valid choice.
    return {int(value) for value in values if value.isascii() and value.isdigit()}
