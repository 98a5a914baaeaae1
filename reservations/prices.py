"""Prices beside bookings on the parent's month.

Reservations come before billing in the apps' order (billing imports reservations, never
the reverse), so billing hands its pricing function over at start-up (BillingConfig.ready).
Without billing installed, or without tariffs, no price is shown — never a made-up one.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

# (family id, first day, last day) → {booking id: what that booking costs}
PriceFunction = Callable[[int, date, date], dict[int, Decimal]]

_provider: PriceFunction | None = None


def register(function: PriceFunction) -> None:
    global _provider
    _provider = function


def booking_prices(family_id: int, start: date, end: date) -> dict[int, Decimal] | None:
    """The price of each booking of the family in the period, or None when not priced."""
    return None if _provider is None else _provider(family_id, start, end)
