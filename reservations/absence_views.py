"""« Absence médicale »: the family reports an absence and sends the certificate."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.decorators import parent_required

from .absences import report_absence
from .forms import AbsenceForm
from .models import MedicalAbsence


@parent_required
@require_http_methods(["GET", "POST"])
def absences(request: HttpRequest) -> HttpResponse:
    family_id = request.user.family_id
    form = AbsenceForm(request.POST or None, request.FILES or None, family_id=family_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            absence = report_absence(
                child=data["child"],
                start=data["start"],
                end=data["end"],
                upload=data["certificate"],
                checked=form.checked,
                comment=data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"L'absence de {absence.child.first_name} et son certificat sont transmis à la "
                "mairie : vous serez prévenu(e) de sa décision dans votre boîte de réception.",
            )
            return redirect("reservations:absences")
    listed = (
        MedicalAbsence.objects.for_family(family_id)
        .select_related("child", "certificate")
        .order_by("-start", "-pk")
    )
    return render(
        request,
        "reservations/absences.html",
        {
            "form": form,
            "absences": listed,
            "delay_hours": settings.MEDICAL_ABSENCE_DELAY_HOURS,
        },
        status=400 if form.errors else 200,
    )
