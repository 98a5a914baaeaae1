from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

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
