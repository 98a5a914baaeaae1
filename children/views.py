from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.sections import matching, pending_requests

from .models import Child
from .sections import NEW_CHILD_SECTION


@login_required
def child_list(request: HttpRequest) -> HttpResponse:
    family_id = request.user.family_id
    children = Child.objects.filter(family_id=family_id).select_related("school")
    return render(
        request,
        "children/child_list.html",
        {
            "children": children,
            "new_children": matching(pending_requests(family_id, Child), NEW_CHILD_SECTION, None),
            "today": timezone.localdate(),
        },
    )
