"""The simulator's one door to the portal that uses it: whose payments it may take, and where
it may send the payer and its notifications.

The simulator imports none of the portal's apps. `settings.PAYFIP_SIMULATOR_PORTAL` names a
module of the portal with two functions, asked with what `creerPaiementSecurise` carries
(`montant` in cents):

- `payable(*, numcli, exer, refdet, montant) -> bool`: the portal may be opening this
  payment now (asked at `creerPaiementSecurise`, while the portal's own transaction row is
  not committed yet, so only committed data can answer: e.g. an invoice asking for exactly
  this amount);
- `opened(*, idop) -> bool`: the portal holds a transaction with this idOp (asked by the
  payment page and by `recupererDetailPaiementSecurise`, which come after the portal has
  committed it; the portal checks the rest of the answer against its transaction itself).

Without the setting nothing is payable: the simulator fails closed.

Notifications and the payer's way back go only to the portal's own origin (PORTAL_URL's
scheme, host and port): anything else is refused, never fetched.
"""

from importlib import import_module
from types import ModuleType
from urllib.parse import urlsplit

from django.conf import settings

from .models import SimulatedPayment

DEFAULT_PORTS = {"http": 80, "https": 443}


def _portal() -> ModuleType | None:
    name = getattr(settings, "PAYFIP_SIMULATOR_PORTAL", "")
    return import_module(name) if name else None


def payable(*, numcli: str, exer: str, refdet: str, montant: int) -> bool:
    portal = _portal()
    return bool(portal and portal.payable(numcli=numcli, exer=exer, refdet=refdet, montant=montant))


def opened(payment: SimulatedPayment) -> bool:
    portal = _portal()
    return bool(portal and portal.opened(idop=payment.idop))


def _origin(url: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an http(s) address without credentials; None otherwise."""
    if "\\" in url or any(ord(character) < 33 for character in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname or "@" in parts.netloc:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme]


def on_portal(url: str) -> bool:
    """Is `url` on the portal's own origin (PORTAL_URL's scheme, host and port)?"""
    portal = _origin(settings.PORTAL_URL or "")
    return portal is not None and _origin(url) == portal
