"""Login and password-reset throttles, in the authentication layer.

Every page that calls `authenticate()` (the parents' login, the admin's, any future one)
goes through django-axes, configured here:

- axes locks an identifier after AXES_FAILURE_LIMIT wrong passwords. The key it counts is
  the identifier, or « identifier · appareil <id> » on a browser trusted for that account
  (`accounts.trusted_devices`): a stranger's failures do not lock the owner's browser, and
  that browser has a count of its own;
- `LoginThrottleHandler` adds a limit per address across identifiers, counted from axes'
  failure log (a table: it holds across app servers), and writes locks to the security log.

The address is REMOTE_ADDR (`security_log.client_address`), which
`portail.middleware` takes from X-Forwarded-For only when the request comes from one of
TRUSTED_PROXIES. An IPv6 address counts as its /64 (`security_log.address_range`): one
subscriber's phone changes address within it at will.
"""

from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessFailureLog
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from portail.lib.formats import clock

from . import trusted_devices
from .models import SecurityEvent, SecurityEventKind
from .security_log import address_range, client_address, record


def normalised_username(request, credentials: dict | None) -> str | None:
    """The identifier as the throttle counts it: « Martin » and « martin » are one."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return username.strip().lower() if username else None


def lockout_key(request, credentials: dict | None) -> str | None:
    """What axes counts failures against (AXES_USERNAME_CALLABLE)."""
    username = normalised_username(request, credentials)
    device_id = trusted_devices.device_id_for(request, username)
    return f"{username} · appareil {device_id}" if device_id else username


def blocked_until(recent: QuerySet, *, limit: int, window: timedelta) -> datetime | None:
    """When the events in `recent` (their times, newest first, already cut to the sliding
    `window`) drop below `limit`, or None if they are below it already. One indexed query."""
    oldest_counted = next(iter(recent[limit - 1 : limit]), None)
    return oldest_counted + window if oldest_counted is not None else None


def login_address_blocked_until(request: HttpRequest) -> datetime | None:
    """Counted from axes' failure log (one row per wrong password, in the database)."""
    address = client_address(request)
    if address is None:
        return None
    window = settings.LOGIN_ADDRESS_WINDOW
    recent = (
        AccessFailureLog.objects.filter(
            ip_address__range=address_range(address), attempt_time__gt=timezone.now() - window
        )
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
    )
    return blocked_until(recent, limit=settings.LOGIN_ADDRESS_FAILURE_LIMIT, window=window)


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, plus the per-address limit and the security log."""

    def is_allowed(self, request, credentials: dict | None = None) -> bool:
        if not self._trusted(request, credentials):
            until = login_address_blocked_until(request)
            if until is not None:
                request.login_address_blocked_until = until
                return False
        return super().is_allowed(request, credentials)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        if request is not None and getattr(request, "login_address_blocked_until", None):
            # Refused unchecked: not counted, so the block ends at the time the page states.
            request.axes_locked_out = True
            return
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None:
            self._after_failure(request, credentials)

    def user_logged_in(self, sender, request, user, **kwargs) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        trusted_devices.remember(request, user)

    def _trusted(self, request, credentials) -> bool:
        username = normalised_username(request, credentials)
        return trusted_devices.device_id_for(request, username) is not None

    def _after_failure(self, request, credentials) -> None:
        """Writes the start of a lock to the security log, and answers the failure that
        reaches the address limit with the 429 page at once (as axes does for identifiers).
        The failures themselves are in axes' failure log (staff's in the security log too,
        see accounts.receivers)."""
        username = normalised_username(request, credentials) or ""
        trusted = self._trusted(request, credentials)
        if request.axes_failures_since_start == get_failure_limit(request, credentials):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            held = "appareil de confiance bloqué" if trusted else "identifiant bloqué"
            record(
                kind=SecurityEventKind.LOCKOUT,
                request=request,
                username=username,
                detail=f"{held} {minutes} minutes",
            )
        if trusted:
            return
        until = login_address_blocked_until(request)
        if until is not None:
            request.login_address_blocked_until = until
            request.axes_locked_out = True
            record(
                kind=SecurityEventKind.LOCKOUT,
                request=request,
                username=username,
                detail=f"adresse bloquée jusqu'à {format_time(until)}",
            )


def format_time(moment: datetime) -> str:
    """« 21h47 » in the town hall's time, rounded up to the minute (never too early)."""
    local = timezone.localtime(moment)
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return clock(local.time())


# « Mot de passe oublié »: counted from the security log, one line per request.


def serialise_password_resets(*, address: str | None, email: str) -> None:
    """Inside a transaction: requests for one address or one e-mail count one at a time."""
    with connection.cursor() as cursor:
        first = address_range(address)[0] if address else None
        for name in sorted({f"reset-address:{first}", f"reset-email:{email}"}):
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def _recent_reset_requests(**filters) -> QuerySet:
    since = timezone.now() - settings.PASSWORD_RESET_WINDOW
    return (
        SecurityEvent.objects.filter(
            kind=SecurityEventKind.PASSWORD_RESET_REQUESTED, at__gt=since, **filters
        )
        .order_by("-at")
        .values_list("at", flat=True)
    )


def password_reset_address_blocked_until(request: HttpRequest) -> datetime | None:
    address = client_address(request)
    if address is None:
        return None
    return blocked_until(
        _recent_reset_requests(ip_address__range=address_range(address)),
        limit=settings.PASSWORD_RESET_ADDRESS_LIMIT,
        window=settings.PASSWORD_RESET_WINDOW,
    )


def password_reset_email_allowed(email: str) -> bool:
    """Whether one more link may be sent to `email` (the answer is the same either way)."""
    until = blocked_until(
        _recent_reset_requests(username=email[:150]),
        limit=settings.PASSWORD_RESET_EMAIL_LIMIT,
        window=settings.PASSWORD_RESET_WINDOW,
    )
    return until is None
