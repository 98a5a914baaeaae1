from datetime import datetime

from axes.utils import reset as reset_login_failures
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.views.decorators.http import require_POST

from . import throttle, trusted_devices
from .forms import LoginForm, PasswordChangeForm, PasswordResetSetForm, QueuedPasswordResetForm
from .models import SecurityEventKind
from .security_log import client_address, record


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """What a login page answers once axes refuses: the address is over its limit (429
    page with the time it may try again), or the identifier is locked."""
    address_until = getattr(request, "login_address_blocked_until", None)
    if address_until is not None:
        return too_many_attempts(request, until=address_until, reason="login")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = LoginForm(request, initial={"username": request.POST.get("username", "")})
    username = throttle.normalised_username(request, credentials)
    if trusted_devices.device_id_for(request, username):
        held = f"cet identifiant est bloqué sur cet appareil pendant {minutes} minutes"
    else:
        held = (
            f"cet identifiant est bloqué pendant {minutes} minutes, sauf sur les appareils "
            "où vous vous êtes déjà connecté"
        )
    message = (
        f"Trop de mots de passe incorrects : {held}. Réessayez plus tard, ou choisissez un "
        "nouveau mot de passe avec « Mot de passe oublié »."
    )
    return render(
        request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429
    )


def too_many_attempts(request: HttpRequest, *, until: datetime, reason: str) -> HttpResponse:
    """429 for an address over a limit, saying when it may try again."""
    response = render(
        request,
        "accounts/too_many_attempts.html",
        {"retry_at": throttle.format_time(until), "reason": reason},
        status=429,
    )
    response["Retry-After"] = str(max(1, int((until - timezone.now()).total_seconds()) + 1))
    return response


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.success(request, "Vous êtes déconnecté. À bientôt !")
    return redirect("accounts:login")


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    forced = request.user.must_change_password
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        # The new password revoked every trusted device; this one stays trusted.
        trusted_devices.remember(request, user)
        messages.success(request, "Votre nouveau mot de passe est enregistré.")
        return redirect("portail:home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": forced})


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = QueuedPasswordResetForm
    email_template_name = "accounts/email/password_reset.txt"
    html_email_template_name = "accounts/email/password_reset.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        """Each request is a line of the security log, and the throttles count them: an
        address over its limit gets the 429 page; an e-mail over its limit gets the same
        answer as any other, but no e-mail, so that nobody learns whether an account exists.
        """
        email = form.cleaned_data["email"].strip().lower()
        with transaction.atomic():
            throttle.serialise_password_resets(address=client_address(self.request), email=email)
            until = throttle.password_reset_address_blocked_until(self.request)
            if until is not None:
                return too_many_attempts(self.request, until=until, reason="password_reset")
            allowed = throttle.password_reset_email_allowed(email)
            record(
                kind=SecurityEventKind.PASSWORD_RESET_REQUESTED,
                request=self.request,
                username=email,
                detail="" if allowed else "limite atteinte : aucun e-mail envoyé",
            )
        if not allowed:
            return redirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        # In development the e-mail is read on « Courriels envoyés » (messaging.dev_outbox).
        return {**super().get_context_data(**kwargs), "dev_outbox": settings.DEBUG}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = PasswordResetSetForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # A parent who proved they own the mailbox is no longer locked out.
        reset_login_failures(username=form.user.username.lower())
        return response
