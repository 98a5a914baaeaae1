"""Session rules that hold on every page: idle expiry, the forced password change, and the
staff's second factor before any admin page."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from . import two_factor

LAST_ACTIVITY_KEY = "last_activity"
# When the session's user first reached the portal after logging in (staff sessions end
# STAFF_SESSION_MAX_AGE after it, however active).
SESSION_START_KEY = "session_started"
# Writing the session on every click would cost a database write per request: the
# activity stamp is refreshed at most this often, which is far below the idle timeout.
ACTIVITY_RESOLUTION_SECONDS = 60


class IdleTimeoutMiddleware:
    """Logs out a session left idle (or, for staff, too old), and says so on the next click.

    Staff sessions are shorter than parents': STAFF_SESSION_IDLE_TIMEOUT without a click,
    and STAFF_SESSION_MAX_AGE after the login whatever the activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            staff = two_factor.is_staff_account(request.user)
            expired = self._expired(request, now=now, staff=staff)
            if expired:
                request.logout_reason = f"session expirée : {expired}"
                logout(request)
                messages.info(request, expired)
                return redirect_to_login(request.get_full_path(), self._login_url(request, staff))
            request.session.setdefault(SESSION_START_KEY, now)
            last = request.session.get(LAST_ACTIVITY_KEY)
            if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _expired(request, *, now: float, staff: bool) -> str | None:
        """Why the session ends now (the message shown), or None."""
        timeout = settings.STAFF_SESSION_IDLE_TIMEOUT if staff else settings.SESSION_IDLE_TIMEOUT
        last = request.session.get(LAST_ACTIVITY_KEY)
        if last is not None and now - last > timeout.total_seconds():
            return (
                f"Votre session a expiré après {_duration(timeout)} sans activité : "
                "reconnectez-vous pour continuer."
            )
        started = request.session.get(SESSION_START_KEY)
        max_age = settings.STAFF_SESSION_MAX_AGE
        if staff and started is not None and now - started > max_age.total_seconds():
            return (
                f"Votre session a expiré : une session du personnel dure au plus "
                f"{_duration(max_age)}. Reconnectez-vous pour continuer."
            )
        return None

    @staticmethod
    def _login_url(request, staff: bool) -> str | None:
        # Staff who were in the admin log in again on the admin's own page.
        if staff and request.path.startswith(reverse("admin:index")):
            return reverse("admin:login")
        return None


def _duration(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % 60 == 0 and minutes >= 60:
        hours = minutes // 60
        return f"{hours} heure{'s' if hours > 1 else ''}"
    return f"{minutes} minute{'s' if minutes > 1 else ''}"


# Views a person with a temporary password may still reach.
PASSWORD_CHANGE_ALLOWED_VIEWS = {
    "accounts:password_change",
    "accounts:logout",
    "portail:health",
}


class PasswordChangeRequiredMiddleware:
    """A temporary password opens only the page that replaces it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (user.is_authenticated and user.must_change_password):
            return None
        if request.resolver_match.view_name in PASSWORD_CHANGE_ALLOWED_VIEWS:
            return None
        return redirect("accounts:password_change")


# Admin views a staff member who has not passed the second factor may still reach.
TWO_FACTOR_ALLOWED_VIEWS = {"admin:login", "admin:logout"}


class StaffTwoFactorMiddleware:
    """With STAFF_TWO_FACTOR on, no admin page opens before the session's second factor.

    However the staff member logged in (/admin/login/ or /connexion/), the first admin page
    sends them to verification, or to enrolment when they have no device yet. During a
    grace period (STAFF_TWO_FACTOR_GRACE_DAYS, never for superusers nor « Données de
    santé ») the admin opens, with a banner; `request.two_factor_grace_until` carries it.
    Parents never meet any of this.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not two_factor.is_required(user) or user.is_verified():
            return None
        match = request.resolver_match
        if match.namespace == "two_factor" or match.view_name in TWO_FACTOR_ALLOWED_VIEWS:
            return None
        if not request.path.startswith(reverse("admin:index")):
            return None
        if two_factor.has_device(user):
            target = "two_factor:verify"
        else:
            grace: datetime | None = two_factor.in_grace(user, at=timezone.now())
            if grace is not None:
                request.two_factor_grace_until = grace
                return None
            target = "two_factor:enrol"
        return redirect_to_login(request.get_full_path(), reverse(target))
