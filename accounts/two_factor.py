"""Two-factor authentication of staff (django-otp): who must, enrolment, verification, reset.

A staff member proves a second factor once per session with a code from an authenticator
app (a TOTP device) or, when the phone is lost, one of ten single-use recovery codes (a
django-otp static device). django-otp keeps the verified device in the session and
throttles wrong codes per device (1, 2, 4, 8… seconds of wait after each failure).
"""

from base64 import b32decode, b32encode
from dataclasses import dataclass
from datetime import datetime, timedelta

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import SecurityEventKind, User
from .security_log import record

# Who reads children's health data (the group, or its permission however granted) never
# gets a grace period. A string: accounts does not import children.
HEALTH_GROUP = "Données de santé"
HEALTH_PERMISSION = "children.view_health"
RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Application d'authentification"
RECOVERY_DEVICE_NAME = "Codes de secours"


def is_staff_account(user) -> bool:
    return bool(user.is_authenticated and (user.is_staff or user.is_superuser))


def is_required(user) -> bool:
    """Whether this user must pass a second factor before any admin page."""
    return settings.STAFF_TWO_FACTOR and is_staff_account(user)


def grace_deadline(user: User) -> datetime | None:
    """Until when this staff member may use the admin without a device (None: no grace)."""
    days = settings.STAFF_TWO_FACTOR_GRACE_DAYS
    if days <= 0 or user.is_superuser:
        return None
    if user.groups.filter(name=HEALTH_GROUP).exists() or user.has_perm(HEALTH_PERMISSION):
        return None
    return user.date_joined + timedelta(days=days)


def in_grace(user: User, *, at: datetime) -> datetime | None:
    """The grace deadline if it is still running at `at`, else None."""
    deadline = grace_deadline(user)
    return deadline if deadline is not None and at < deadline else None


def has_device(user: User) -> bool:
    """A confirmed authenticator app (recovery codes alone do not count)."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def pending_app_device(user: User) -> TOTPDevice:
    """The device being enrolled: made once, its secret shown until a first code confirms it."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an app asks to type it: base32, in groups of four."""
    return grouped(b32encode(device.bin_key).decode().rstrip("="))


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> str:
    """The provisioning QR code (otpauth:// URL) as inline SVG, for the app to scan."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, light="#fff", title="Code QR à scanner avec l'application d'authentification"
    )


def normalise(code: str) -> str:
    """What the person typed, without the spaces and dashes people add."""
    return "".join(code.split()).replace("-", "").lower()


@dataclass(frozen=True)
class Outcome:
    ok: bool
    # Set when wrong codes made the device wait: when a new try is accepted.
    retry_at: datetime | None = None
    recovery_code_used: bool = False
    recovery_codes_left: int | None = None


def _throttled_until(device) -> datetime | None:
    allowed, data = device.verify_is_allowed()
    if allowed:
        return None
    return (data or {}).get("locked_until") or timezone.now() + timedelta(seconds=1)


def _refuse(
    *, request: HttpRequest, user: User, why: str, retry_at: datetime | None = None
) -> Outcome:
    record(
        kind=SecurityEventKind.SECOND_FACTOR_FAILED,
        request=request,
        actor=user,
        target=user,
        detail=why,
    )
    return Outcome(ok=False, retry_at=retry_at)


def verify(*, request: HttpRequest, user: User, code: str) -> Outcome:
    """Check a code from the app (6 digits) or a recovery code; on success the session is
    verified. A wrong code is logged, never the code itself."""
    code = normalise(code)
    with transaction.atomic():
        if code.isdigit() and len(code) <= 8:
            device = (
                TOTPDevice.objects.devices_for_user(user, confirmed=True)
                .select_for_update()
                .first()
            )
            kind = "code de l'application"
        else:
            device = (
                StaticDevice.objects.devices_for_user(user, confirmed=True)
                .select_for_update()
                .first()
            )
            kind = "code de secours"
        if device is None:
            return _refuse(request=request, user=user, why=f"{kind} : aucun")
        waiting = _throttled_until(device)
        if waiting is not None:
            return _refuse(request=request, user=user, why=f"{kind} : en attente", retry_at=waiting)
        if not device.verify_token(code):
            return _refuse(request=request, user=user, why=f"{kind} incorrect")
    _verified(request, device)
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        _passed(request=request, user=user, detail=f"code de secours ({left} restants)")
        return Outcome(ok=True, recovery_code_used=True, recovery_codes_left=left)
    _passed(request=request, user=user, detail="code de l'application")
    return Outcome(ok=True)


def _verified(request: HttpRequest, device) -> None:
    """The session now holds the second factor: it gets a new key, as at any elevation."""
    request.session.cycle_key()
    django_otp.login(request, device)


def _passed(*, request: HttpRequest, user: User, detail: str) -> None:
    record(
        kind=SecurityEventKind.SECOND_FACTOR_PASSED,
        request=request,
        actor=user,
        target=user,
        detail=detail,
    )


def confirm_enrolment(*, request: HttpRequest, user: User, code: str) -> tuple[Outcome, list[str]]:
    """Confirm the pending app device with a first code: the session is verified and ten
    recovery codes are made (returned once, to be shown once)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.devices_for_user(user, confirmed=False)
            .select_for_update()
            .order_by("pk")
            .first()
        )
        if device is None:
            return Outcome(ok=False), []
        waiting = _throttled_until(device)
        if waiting is not None:
            why = "activation : en attente"
            return _refuse(request=request, user=user, why=why, retry_at=waiting), []
        if not device.verify_token(normalise(code)):
            return _refuse(request=request, user=user, why="activation : code incorrect"), []
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = _replace_recovery_codes(user)
        record(
            kind=SecurityEventKind.SECOND_FACTOR_ENROLLED,
            request=request,
            actor=user,
            target=user,
            detail="application d'authentification et codes de secours",
        )
    _verified(request, device)
    return Outcome(ok=True), codes


def _replace_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in codes)
    return codes


@transaction.atomic
def new_recovery_codes(*, request: HttpRequest, user: User) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    codes = _replace_recovery_codes(user)
    record(
        kind=SecurityEventKind.SECOND_FACTOR_ENROLLED,
        request=request,
        actor=user,
        target=user,
        detail="nouveaux codes de secours",
    )
    return codes


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def display_code(code: str) -> str:
    """A recovery code as shown: « abcd-efgh »."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


@transaction.atomic
def reset(*, request: HttpRequest | None, user: User, by: User) -> bool:
    """Remove a staff member's devices (a lost phone): they enrol again at their next visit.
    Returns whether there was anything to remove."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    record(
        kind=SecurityEventKind.SECOND_FACTOR_RESET,
        request=request,
        actor=by,
        target=user,
        detail="appareils supprimés" if removed else "aucun appareil",
    )
    return bool(removed)


def set_demo_device(*, user: User, secret_base32: str) -> TOTPDevice:
    """The demo's fixed, printed secret: confirmed, so that a tester's app works at once.
    Leaves the device alone when it already holds this secret (a second seed changes nothing)."""
    key = _base32_to_hex(secret_base32)
    devices = TOTPDevice.objects.filter(user=user)
    current = devices.filter(key=key, confirmed=True).first()
    if current is not None and devices.count() == 1:
        return current
    devices.delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, key=key, confirmed=True)


def _base32_to_hex(secret: str) -> str:
    cleaned = "".join(secret.split()).upper()
    return b32decode(cleaned + "=" * (-len(cleaned) % 8)).hex()
