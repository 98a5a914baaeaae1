from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from billing.online import payable_invoices
from billing.statements import account_summary


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_parent:
        if request.user.is_staff:
            return redirect("admin:index")
        return render(request, "portail/no_family.html", status=403)
    family = request.user.family
    payable = payable_invoices(family.pk)
    summary = account_summary(
        family=family, today=timezone.localdate(), outstanding_invoices=payable
    )
    return render(
        request,
        "portail/home.html",
        {"family": family, "summary": summary, "payable": payable},
    )


TEXT = "text/plain; charset=utf-8"


@require_GET
@never_cache
def health(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the database answers, 503 when it does not.

    Answered by portail.middleware.HealthCheckMiddleware, before any session is read."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("base de données injoignable\n", status=503, content_type=TEXT)
    return HttpResponse("ok\n", content_type=TEXT)
