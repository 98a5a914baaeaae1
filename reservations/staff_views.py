"""The staff pages of reservations, inside the admin (/admin/reservations/booking/…).

- « Liste du jour »: the children expected per unit, with the kitchen's totals (screen,
  CSV, PDF); health flags only for staff allowed to see health data.
- « Pointage »: present / absent for a day and a unit; a child present without booking.
- « Réserver / annuler pour une famille »: deadlines bypassed, with a trace.
- « Annuler une journée pour tous »: strike or closure; families are told.

Each view is wrapped by the admin site (staff login) and checks its own permission.
"""

from datetime import date

from django.contrib import admin, messages
from django.contrib.auth.decorators import permission_required
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from children.models import Child, HealthAccess
from portail.lib.csv_export import csv_response

from . import attendance, daily_list, day_cancellation, services
from .models import Booking, Enrolment, SchoolYear, Status
from .staff_forms import (
    AttendanceForm,
    CancelDayForm,
    DailyListForm,
    OnBehalfForm,
    UnbookedForm,
)

VIEW_BOOKING = "reservations.view_booking"
ADD_BOOKING = "reservations.add_booking"
CHANGE_BOOKING = "reservations.change_booking"
ADD_CLOSURE = "reservations.add_closure"


def _context(request: HttpRequest, title: str, **extra) -> dict:
    return {
        **admin.site.each_context(request),
        "title": title,
        "opts": Booking._meta,
        **extra,
    }


def _day_label(day: date) -> str:
    return formats.date_format(day, "l j F Y")


def _bound_or_initial(form_class, request: HttpRequest):
    """A GET form: bound once the page was asked with its fields, else today by default."""
    if request.GET:
        return form_class(request.GET)
    return form_class(initial={"day": timezone.localdate()})


# --- Liste du jour ---------------------------------------------------------------------


def _daily(request: HttpRequest) -> tuple[DailyListForm, daily_list.DailyList | None]:
    form = _bound_or_initial(DailyListForm, request)
    if not form.is_bound or not form.is_valid():
        return form, None
    daily = daily_list.build(
        activity=form.cleaned_data["activity"],
        day=form.cleaned_data["day"],
        school=form.cleaned_data["school"],
        with_health=daily_list.may_see_health(request.user),
    )
    return form, daily


def _filename(daily: daily_list.DailyList, extension: str) -> str:
    parts = [
        "liste",
        daily.activity.name,
        daily.school.name if daily.school else "",
        str(daily.day),
    ]
    return f"{slugify('-'.join(p for p in parts if p))}.{extension}"


@permission_required(VIEW_BOOKING, raise_exception=True)
def daily_list_view(request: HttpRequest) -> HttpResponse:
    """GET: pick a day, an activity (and a school); the list per unit with its totals."""
    form, daily = _daily(request)
    if daily is not None:
        daily_list.record_health_access(daily, by=request.user, action=HealthAccess.Action.VIEW)
    query = request.GET.urlencode() if daily is not None else ""
    return render(
        request,
        "admin/reservations/daily_list.html",
        _context(
            request,
            "Liste du jour",
            form=form,
            daily=daily,
            query=query,
            day_label=_day_label(daily.day) if daily else "",
        ),
    )


@permission_required(VIEW_BOOKING, raise_exception=True)
def daily_list_csv_view(request: HttpRequest) -> HttpResponse:
    form, daily = _daily(request)
    if daily is None:
        return HttpResponseRedirect(reverse("admin:reservations_daily_list"))
    return csv_response(daily_list.to_csv(daily, by=request.user), filename=_filename(daily, "csv"))


@permission_required(VIEW_BOOKING, raise_exception=True)
def daily_list_pdf_view(request: HttpRequest) -> HttpResponse:
    """The PDF of the list (`?html=1`: the HTML it is made from)."""
    form, daily = _daily(request)
    if daily is None:
        return HttpResponseRedirect(reverse("admin:reservations_daily_list"))
    if request.GET.get("html"):
        return HttpResponse(daily_list.to_pdf_html(daily, by=request.user))
    response = HttpResponse(
        daily_list.to_pdf(daily, by=request.user), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(daily, "pdf")}"'
    return response


# --- Pointage ----------------------------------------------------------------------------


def _enrolled_not_listed(unit, day: date, school) -> QuerySet:
    """Children with a validated enrolment in the activity that year, not yet on the list."""
    year = SchoolYear.objects.filter(start__lte=day, end__gte=day).first()
    if year is None:
        return Child.objects.none()
    enrolled = Enrolment.objects.validated().filter(
        child=OuterRef("pk"), activity=unit.activity, school_year=year
    )
    listed = Booking.objects.holding().filter(child=OuterRef("pk"), unit=unit, day=day)
    children = Child.objects.filter(Exists(enrolled)).exclude(Exists(listed))
    if school is not None:
        children = children.filter(school=school)
    return children.order_by("last_name", "first_name", "pk")


def _save_attendance(request: HttpRequest, unit, day: date, school) -> None:
    """Each child of the page marked present or absent; only this list's bookings count."""
    listed = daily_list.day_bookings(activity=unit.activity, day=day, unit=unit, school=school)
    presence = {
        pk: request.POST[f"presence-{pk}"] == "present"
        for pk in listed.values_list("pk", flat=True)
        if request.POST.get(f"presence-{pk}") in ("present", "absent")
    }
    saved = attendance.record_attendance(unit=unit, day=day, presence=presence, by=request.user)
    messages.success(
        request, f"Pointage enregistré : {saved.present} présent(s), {saved.absent} absent(s)."
    )


@require_http_methods(["GET", "POST"])
@permission_required((VIEW_BOOKING, CHANGE_BOOKING), raise_exception=True)
def attendance_view(request: HttpRequest) -> HttpResponse:
    """GET: the children booked for a day and a unit; POST: save present / absent, or add
    a child present without booking."""
    form = _bound_or_initial(AttendanceForm, request)
    if not form.is_bound or not form.is_valid():
        return render(
            request,
            "admin/reservations/attendance.html",
            _context(request, "Pointage", form=form),
        )
    unit, day, school = (form.cleaned_data[k] for k in ("unit", "day", "school"))
    here = f"{request.path}?{request.GET.urlencode()}"
    candidates = _enrolled_not_listed(unit, day, school)
    unbooked_form = UnbookedForm(children=candidates)
    if request.method == "POST":
        try:
            if "add" not in request.POST:
                _save_attendance(request, unit, day, school)
                return HttpResponseRedirect(here)
            unbooked_form = UnbookedForm(request.POST, children=candidates)
            if unbooked_form.is_valid():
                child = unbooked_form.cleaned_data["child"]
                attendance.add_unbooked(child=child, unit=unit, day=day, by=request.user)
                messages.success(request, f"{child} : présent(e) sans réservation.")
                return HttpResponseRedirect(here)
        except attendance.AttendanceError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(here)
    rows = sorted(
        daily_list.day_bookings(activity=unit.activity, day=day, unit=unit, school=school),
        key=lambda b: daily_list.child_order(b.child),
    )
    return render(
        request,
        "admin/reservations/attendance.html",
        _context(
            request,
            "Pointage",
            form=form,
            unit=unit,
            day=day,
            day_label=_day_label(day),
            rows=rows,
            editable=(Status.BOOKED, Status.PRESENT, Status.ABSENT),
            future=day > timezone.localdate(),
            unbooked_form=unbooked_form,
        ),
    )


# --- Réserver / annuler pour une famille ----------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required((VIEW_BOOKING, ADD_BOOKING, CHANGE_BOOKING), raise_exception=True)
def on_behalf_view(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: book or cancel the chosen days, deadlines bypassed, then back
    to the form with one line per day."""
    if request.method == "POST":
        form = OnBehalfForm(request.POST)
        if form.is_valid():
            _book_or_cancel(request, form)
            return HttpResponseRedirect(request.path)
    else:
        form = OnBehalfForm(initial={"start": timezone.localdate()})
    return render(
        request,
        "admin/reservations/on_behalf.html",
        _context(request, "Réserver ou annuler pour une famille", form=form, media=form.media),
    )


def _book_or_cancel(request: HttpRequest, form: OnBehalfForm) -> None:
    child, unit = form.cleaned_data["child"], form.cleaned_data["unit"]
    days = form.days()
    if not days:
        messages.warning(request, "Aucun jour ne correspond aux jours de la semaine cochés.")
        return
    if form.cleaned_data["action"] == OnBehalfForm.BOOK:
        outcomes = services.book(
            items=[(child, unit, day) for day in days], by=request.user, staff=True
        )
    else:
        bookings = list(
            Booking.objects.live()
            .select_related("child", "unit__activity")
            .filter(child=child, unit=unit, day__in=days)
        )
        outcomes = services.cancel(
            bookings=bookings, by=request.user, staff=True, late=form.cleaned_data["late"]
        )
        found = {b.day for b in bookings}
        for day in days:
            if day not in found:
                messages.info(
                    request, f"{child} — {unit.name} — {_day_label(day)} : aucune réservation."
                )
    for outcome in sorted(outcomes, key=lambda o: o.day):
        level = messages.SUCCESS if outcome.done else messages.WARNING
        messages.add_message(
            request,
            level,
            f"{child} — {unit.name} — {_day_label(outcome.day)} : {outcome.message}",
        )


# --- Annuler une journée pour tous -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required((VIEW_BOOKING, CHANGE_BOOKING, ADD_CLOSURE), raise_exception=True)
def cancel_day_view(request: HttpRequest) -> HttpResponse:
    """GET: the form; POST: a confirmation page saying who is concerned; POST with
    `confirm`: the day is closed, its bookings cancelled, the families told."""
    form = CancelDayForm(request.POST or None, initial={"day": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        day, activity, reason = (form.cleaned_data[k] for k in ("day", "activity", "reason"))
        if request.POST.get("confirm") == "yes":
            result = day_cancellation.cancel_day(
                day=day, activity=activity, reason=reason, by=request.user
            )
            what = activity.name if activity else "toutes les activités"
            messages.success(
                request,
                f"{_day_label(day)} ({what}) : {result.cancelled} réservation(s) annulée(s), "
                f"{result.families} famille(s) prévenue(s).",
            )
            return HttpResponseRedirect(reverse("admin:reservations_closure_changelist"))
        bookings, families = day_cancellation.preview(day=day, activity=activity)
        return render(
            request,
            "admin/reservations/cancel_day_confirm.html",
            _context(
                request,
                "Annuler une journée pour tous",
                form=form,
                day_label=_day_label(day),
                bookings=bookings,
                families=families,
            ),
        )
    return render(
        request,
        "admin/reservations/cancel_day.html",
        _context(request, "Annuler une journée pour tous", form=form),
    )
