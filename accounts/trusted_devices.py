"""Trusted devices: a browser where an account logged in before is known to the throttles.

On every login the browser receives a signed, HttpOnly cookie naming the accounts that
logged in there (at most `MAX_ACCOUNTS`, newest first). For such an account the browser is
not held by the identifier lock nor by the per-address limit that strangers trigger, but
it has its own failure count (see `accounts.throttle`). Each entry carries a fingerprint
of the account's password hash: a new password revokes every trusted device at once.
"""

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

COOKIE_NAME = "portail_appareil"
MAX_ACCOUNTS = 5
_SALT = "accounts.trusted_devices"


@dataclass(frozen=True)
class Entry:
    user_id: int
    fingerprint: str
    issued_at: int  # seconds since the epoch


@dataclass(frozen=True)
class Device:
    """What the cookie says, once its signature is checked (not yet its freshness)."""

    device_id: str
    entries: tuple[Entry, ...]


def fingerprint(user) -> str:
    """Bound to the password hash: it changes, and the trust with it, with the password."""
    value = salted_hmac(_SALT, f"{user.pk}:{user.password}", algorithm="sha256")
    return value.hexdigest()[:32]


def lifetime_seconds() -> int:
    return settings.TRUSTED_DEVICE_DAYS * 24 * 60 * 60


def read(request: HttpRequest) -> Device | None:
    """The browser's cookie, if it carries our signature; None otherwise."""
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw:
        return None
    try:
        data = signing.loads(raw, salt=_SALT, max_age=lifetime_seconds())
        entries = tuple(Entry(int(u), str(f), int(t)) for u, f, t in data["u"])
        return Device(device_id=str(data["d"]), entries=entries)
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def device_id_for(request: HttpRequest, username: str | None) -> str | None:
    """The id of this browser if it is trusted for the account `username`, else None.

    Trusted means: a signed entry for that account, younger than TRUSTED_DEVICE_DAYS, made
    with the account's current password. Memoised on the request (axes asks several times).
    """
    if not username:
        return None
    if not hasattr(request, "_trusted_device_ids"):
        request._trusted_device_ids = {}
    memo = request._trusted_device_ids
    if username not in memo:
        memo[username] = _check(request, username)
    return memo[username]


def _check(request: HttpRequest, username: str) -> str | None:
    device = read(request)
    if device is None:
        return None
    user = get_user_model().objects.filter(username__iexact=username).first()
    if user is None:
        return None
    oldest = timezone.now().timestamp() - lifetime_seconds()
    for entry in device.entries:
        if (
            entry.user_id == user.pk
            and entry.issued_at >= oldest
            and constant_time_compare(entry.fingerprint, fingerprint(user))
        ):
            return device.device_id
    return None


def remember(request: HttpRequest, user) -> None:
    """Ask for this browser to be trusted for `user`; the middleware writes the cookie."""
    request._trusted_device_user = user


def write(request: HttpRequest, response: HttpResponse, user) -> None:
    device = read(request)
    device_id = device.device_id if device else secrets.token_urlsafe(12)
    others = [e for e in (device.entries if device else ()) if e.user_id != user.pk]
    now = int(timezone.now().timestamp())
    entries = [Entry(user.pk, fingerprint(user), now), *others][:MAX_ACCOUNTS]
    value = signing.dumps(
        {"d": device_id, "u": [[e.user_id, e.fingerprint, e.issued_at] for e in entries]},
        salt=_SALT,
        compress=True,
    )
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=lifetime_seconds(),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


class TrustedDeviceMiddleware:
    """Writes the trusted-device cookie on the answer to a request that logged someone in,
    whatever page did it (the parents' login, the admin's, a password change)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "_trusted_device_user", None)
        if user is not None and user.is_authenticated:
            write(request, response, user)
        return response
