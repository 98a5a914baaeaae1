"""Session rules that hold on every page: idle expiry and the forced password change."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils import timezone

LAST_ACTIVITY_KEY = "last_activity"
# Writing the session on every click would cost a database write per request: the
# activity stamp is refreshed at most this often, which is far below the idle timeout.
ACTIVITY_RESOLUTION_SECONDS = 60


class IdleTimeoutMiddleware:
    """Logs out a session left idle, and says so on the next click."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last = request.session.get(LAST_ACTIVITY_KEY)
            timeout = settings.SESSION_IDLE_TIMEOUT
            if last is not None and now - last > timeout.total_seconds():
                logout(request)
                minutes = int(timeout.total_seconds() // 60)
                messages.info(
                    request,
                    f"Votre session a expiré après {minutes} minutes sans activité : "
                    "reconnectez-vous pour continuer.",
                )
                return redirect_to_login(request.get_full_path())
            if last is None or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)


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
