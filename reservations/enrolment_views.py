"""« Inscriptions »: the family's enrolments, and a request for a new one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import parent_required

from .enrolment_requests import open_school_years, request_enrolment, withdraw_enrolment
from .forms import EnrolmentForm
from .models import Enrolment, EnrolmentStatus


def get_enrolment_or_404(request: HttpRequest, pk: int) -> Enrolment:
    """An enrolment of one of the user's children; any other id is a 404."""
    return get_object_or_404(
        Enrolment.objects.select_related("child", "activity", "school_year"),
        pk=pk,
        child__family_id=request.user.family_id,
    )


@parent_required
@require_http_methods(["GET", "POST"])
def enrolments(request: HttpRequest) -> HttpResponse:
    family_id = request.user.family_id
    years = open_school_years()
    form = EnrolmentForm(request.POST or None, family_id=family_id, years=years)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enrolment = request_enrolment(
                child=data["child"],
                activity=data["activity"],
                school_year=data["school_year"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            child, activity = enrolment.child.first_name, enrolment.activity.name
            what = f"{child} à {activity} ({enrolment.school_year})"
            if enrolment.status == EnrolmentStatus.VALIDATED:
                messages.success(
                    request, f"Inscription de {what} enregistrée : vous pouvez réserver."
                )
            else:
                messages.success(
                    request,
                    f"Demande d'inscription de {what} transmise à la mairie : vous serez "
                    "prévenu(e) dans votre boîte de réception dès qu'elle sera traitée.",
                )
            return redirect("reservations:enrolments")
    listed = (
        Enrolment.objects.filter(child__family_id=family_id)
        .select_related("child", "activity", "school_year")
        .order_by(
            "-school_year__start", "child__birth_date", "activity__position", "activity__name"
        )
    )
    return render(
        request,
        "reservations/enrolments.html",
        {
            "form": form,
            "enrolments": listed,
            "years": years,
            "REQUESTED": EnrolmentStatus.REQUESTED,
            "REFUSED": EnrolmentStatus.REFUSED,
        },
        status=400 if form.errors else 200,
    )


@parent_required
@require_POST
def enrolment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_enrolment_or_404(request, pk)
    if withdraw_enrolment(enrolment=enrolment):
        messages.success(
            request,
            f"Demande d'inscription de {enrolment.child.first_name} à {enrolment.activity.name} "
            "retirée.",
        )
    else:
        messages.error(
            request, "Cette demande a déjà été traitée : elle ne peut plus être retirée."
        )
    return redirect("reservations:enrolments")
