"""The baseline every page is measured against: what a plain Django page costs here."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.models import Family, User

ROWS = 40


def bare(request: HttpRequest) -> HttpResponse:
    """Three queries, a 40-row template, no login: a bare Django view."""
    families = list(Family.objects.order_by("pk")[:ROWS])
    logins = User.objects.filter(family__isnull=False).count()
    newest = User.objects.order_by("-date_joined", "-pk").values_list("username", flat=True)[:1]
    return render(
        request,
        "bench/bare.html",
        {"families": families, "logins": logins, "newest": list(newest)},
    )
