"""The staff's logins, failed logins and logouts, written to the security log.

Django's auth signals are the one place every login path goes through (/connexion/,
/admin/login/, a test's client.login): these receivers only write the log, nothing else.
Parents' logins are not logged here; a failure is, when the identifier typed is a staff
account's, or when it is unknown and was typed on the admin's login page. (Every failure,
a parent's too, is in axes' failure log, which the login throttle counts.)
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.urls import reverse

from .models import SecurityEventKind, User
from .security_log import record
from .two_factor import is_staff_account


def _where(request) -> str:
    return f"par {request.path}" if request is not None else ""


@receiver(user_logged_in, dispatch_uid="security_log_staff_login")
def staff_logged_in(sender, request, user, **kwargs) -> None:
    if is_staff_account(user):
        record(
            kind=SecurityEventKind.LOGIN,
            request=request,
            actor=user,
            target=user,
            detail=_where(request),
        )


@receiver(user_login_failed, dispatch_uid="security_log_staff_login_failed")
def staff_login_failed(sender, credentials, request=None, **kwargs) -> None:
    typed = str((credentials or {}).get("username") or "")
    account = User.objects.filter(username__iexact=typed.strip()).first() if typed else None
    if account is not None and not (account.is_staff or account.is_superuser):
        return  # a parent's identifier
    on_admin = request is not None and request.path == reverse("admin:login")
    if account is None and not on_admin:
        return
    where = _where(request)
    record(
        kind=SecurityEventKind.LOGIN_FAILED,
        request=request,
        target=account,
        username=typed,
        detail=where if account is not None else f"identifiant inconnu, {where}",
    )


@receiver(user_logged_out, dispatch_uid="security_log_staff_logout")
def staff_logged_out(sender, request, user, **kwargs) -> None:
    if user is not None and is_staff_account(user):
        # The idle-timeout middleware says why it ended the session.
        record(
            kind=SecurityEventKind.LOGOUT,
            request=request,
            actor=user,
            target=user,
            detail=getattr(request, "logout_reason", "") or _where(request),
        )
