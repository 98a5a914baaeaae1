"""View decorators for the parents' pages."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def parent_required(view: Callable) -> Callable:
    """Logged in, with a family: staff without one get the « Aucune famille » page."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_parent:
            return render(request, "portail/no_family.html", status=403)
        return view(request, *args, **kwargs)

    return wrapper
