"""The security log: one function writes it, whatever path the event came through."""

from django.http import HttpRequest

from .models import SecurityEvent, SecurityEventKind, User


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from (REMOTE_ADDR, as the proxy hands it over)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    kind: SecurityEventKind,
    request: HttpRequest | None = None,
    actor: User | None = None,
    target: User | None = None,
    username: str = "",
    detail: str = "",
) -> SecurityEvent:
    """Write one line; never pass a password, a token or a link in `detail`."""
    return SecurityEvent.objects.create(
        kind=kind,
        actor=actor if actor is not None and actor.pk else None,
        target=target,
        username=(username or (target.username if target else ""))[:150],
        ip_address=client_address(request),
        detail=detail,
    )
