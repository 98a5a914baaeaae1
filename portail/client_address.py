"""REMOTE_ADDR names the client, also behind the TLS reverse proxy.

gunicorn sets REMOTE_ADDR to the peer of its socket: behind a reverse proxy, the proxy
itself, so every family would share one address and a limit per address would hold them
all. When that peer is one of TRUSTED_PROXIES (addresses or networks), the client is the
right-most address of X-Forwarded-For that is not itself a trusted proxy — the one the
proxy saw. From any other peer the header is ignored: anybody can send one.
"""

from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Network = IPv4Network | IPv6Network


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ip_network(proxy.strip(), strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(meta: dict) -> str | None:
    """The client's address from a request's META, as explained above."""
    peer = meta.get("REMOTE_ADDR") or None
    networks = _networks(tuple(settings.TRUSTED_PROXIES))
    if peer is None or not networks or not _is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed(hops):
        if not hop:
            continue
        if not _is_trusted(hop, networks):
            try:
                return str(ip_address(hop))
            except ValueError:
                return peer  # a malformed hop: keep the proxy's address, never a guess
    return peer


class ClientAddressMiddleware:
    """First in MIDDLEWARE: everything after it (axes, the security log) reads the client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = client_address(request.META)
        if address is not None:
            request.META["REMOTE_ADDR"] = address
        return self.get_response(request)
