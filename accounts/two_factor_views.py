"""« Double authentification »: the staff's pages to enrol an app, verify a code, and keep
recovery codes. Under /admin/double-authentification/, in the admin's look; parents 404."""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import two_factor
from .two_factor import Outcome

NEW_CODES_KEY = "two_factor_new_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def staff_only(view: Callable) -> Callable:
    """Anonymous → the admin's login page; a parent (or any non-staff login) → 404."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not (request.user.is_active and two_factor.is_staff_account(request.user)):
            raise Http404
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _next_url(request: HttpRequest) -> str:
    """Where to go once the second factor is passed: a local `next`, else the admin."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _page(request: HttpRequest, template: str, title: str, **context) -> HttpResponse:
    return render(
        request,
        f"accounts/two_factor/{template}",
        {
            **admin.site.each_context(request),
            # The admin's menu is no help before the second factor is passed.
            "is_nav_sidebar_enabled": False,
            "available_apps": [],
            "title": title,
            "next": _next_url(request),
            **context,
        },
    )


def _refusal(outcome: Outcome) -> str:
    if outcome.retry_at is not None:
        when = date_format(timezone.localtime(outcome.retry_at), "H:i:s")
        return (
            f"Trop de codes incorrects : réessayez après {when} "
            "(l’attente double à chaque erreur)."
        )
    return (
        "Code incorrect. Saisissez le code à 6 chiffres affiché maintenant par votre "
        "application (vérifiez que l’heure du téléphone est juste), ou un code de secours."
    )


@staff_only
def manage(request: HttpRequest) -> HttpResponse:
    user = request.user
    return _page(
        request,
        "manage.html",
        "Double authentification",
        has_device=two_factor.has_device(user),
        verified=user.is_verified(),
        codes_left=two_factor.recovery_codes_left(user),
        required=settings.STAFF_TWO_FACTOR,
        grace_until=two_factor.in_grace(user, at=timezone.now()),
    )


@staff_only
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.has_device(user):
        # A second app replaces the first only after a superuser's reset.
        return redirect(f"{reverse('two_factor:verify')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome, codes = two_factor.confirm_enrolment(
            request=request, user=user, code=form.cleaned_data["code"]
        )
        if outcome.ok:
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, "La double authentification est activée.")
            return redirect(f"{reverse('two_factor:recovery_codes')}?next={_next_url(request)}")
        form.add_error("code", _refusal(outcome))
    device = two_factor.pending_app_device(user)
    return _page(
        request,
        "enrol.html",
        "Activer la double authentification",
        form=form,
        qr_code=two_factor.qr_code_svg(device),
        secret=two_factor.secret_text(device),
        issuer=settings.OTP_TOTP_ISSUER,
    )


@staff_only
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not two_factor.has_device(user):
        return redirect(f"{reverse('two_factor:enrol')}?next={_next_url(request)}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.verify(request=request, user=user, code=form.cleaned_data["code"])
        if outcome.ok:
            if outcome.recovery_code_used:
                messages.warning(
                    request,
                    f"Code de secours accepté : il vous en reste {outcome.recovery_codes_left}. "
                    "Si votre téléphone est perdu, demandez à un administrateur de "
                    "réinitialiser votre double authentification.",
                )
            return redirect(_next_url(request))
        form.add_error("code", _refusal(outcome))
    return _page(request, "verify.html", "Double authentification", form=form)


@staff_only
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """GET shows the codes just made, once; POST makes ten new ones (the old stop working)."""
    user = request.user
    if request.method == "POST":
        if not user.is_verified():
            messages.error(
                request,
                "Saisissez d’abord un code de votre application pour générer de nouveaux codes.",
            )
            return redirect(f"{reverse('two_factor:verify')}?next={reverse('two_factor:manage')}")
        request.session[NEW_CODES_KEY] = two_factor.new_recovery_codes(request=request, user=user)
        return redirect("two_factor:recovery_codes")
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect("two_factor:manage")
    return _page(
        request,
        "recovery_codes.html",
        "Vos codes de secours",
        codes=[two_factor.display_code(code) for code in codes],
    )
