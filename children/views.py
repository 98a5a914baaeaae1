from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .models import Child


@login_required
def child_list(request: HttpRequest) -> HttpResponse:
    children = Child.objects.for_family(request.user.family).select_related("school")
    return render(
        request,
        "children/child_list.html",
        {"children": children, "today": timezone.localdate()},
    )
