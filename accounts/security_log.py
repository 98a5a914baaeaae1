"""The security log: one function writes it, whatever path the event came through."""

import ipaddress

from django.http import HttpRequest

from .models import SecurityEvent, SecurityEventKind, User


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from (REMOTE_ADDR, as the proxy hands it over)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


# One IPv6 subscriber holds a whole /64 (a phone picks a new address in it at will): the
# per-address limits count the /64 as one address. An IPv4 address is its own.
IPV6_SUBSCRIBER_PREFIX = 64


def address_range(address: str) -> tuple[str, str]:
    """The first and last addresses counted as `address` by the per-address limits."""
    ip = ipaddress.ip_address(address)
    if ip.version == 4 or ip.ipv4_mapped:  # ::ffff:203.0.113.7, from a dual-stack socket
        return address, address
    network = ipaddress.ip_network(f"{ip}/{IPV6_SUBSCRIBER_PREFIX}", strict=False)
    return str(network.network_address), str(network.broadcast_address)


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
