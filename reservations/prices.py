"""Prices beside bookings on the parent's month.

Reservations come before billing in the apps' order (billing imports reservations, never
the reverse), so billing hands its pricing function over at start-up (BillingConfig.ready).
Without billing installed, or without tariffs, no price is shown — never a made-up one.
"""

from collections.abc import Callable
from decimal import Decimal

from accounts.models import Family

from .models import Booking

# (family, its bookings of the period, each with its unit) → {booking id: what it costs}
PriceFunction = Callable[[Family, list[Booking]], dict[int, Decimal]]

_provider: PriceFunction | None = None


def register(function: PriceFunction) -> None:
    global _provider
    _provider = function


def booking_prices(family: Family, bookings: list[Booking]) -> dict[int, Decimal] | None:
    """The price of each of these bookings (a family's, holding a place, `unit` loaded),
    or None when not priced."""
    return None if _provider is None else _provider(family, bookings)
