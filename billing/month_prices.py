"""The prices shown on the parent's reservations month: the invoice run's own pricing
function, applied to the bookings the month already loaded (a constant number of queries:
the tariffs' digest — the tariffs and their brackets are read again only when it
changed —, and the PAI flags when a meal could be a packed one)."""

from decimal import Decimal

from accounts.models import Family
from children.models import Health
from reservations.models import Booking
from reservations.snapshots import Snapshot

from .models import Tariff, TariffBracket
from .pricing import Tariffs, booking_price


def _all_tariffs() -> Tariffs:
    """Every tariff, in Tariffs.load's order: the table holds a few per unit and year."""
    return Tariffs(Tariff.objects.prefetch_related("brackets").order_by("unit_id", "-valid_from"))


_TARIFFS = Snapshot(models=[Tariff, TariffBracket], load=_all_tariffs)


def family_booking_prices(family: Family, bookings: list[Booking]) -> dict[int, Decimal]:
    """What each booking costs; `bookings` are the family's, each with its `unit` loaded."""
    if not bookings:
        return {}
    tariffs = _TARIFFS.get()
    priced = [(booking, tariffs.for_(booking.unit_id, booking.day)) for booking in bookings]
    pai: set[int] = set()
    if any(
        tariff is not None and tariff.pai_price is not None and booking.unit.includes_meal
        for booking, tariff in priced
    ):
        pai = set(
            Health.objects.filter(
                child_id__in={b.child_id for b in bookings}, pai=True
            ).values_list("child_id", flat=True)
        )
    prices = {}
    for booking, tariff in priced:
        price = booking_price(booking, family=family, tariff=tariff, pai=booking.child_id in pai)
        if price is not None:
            prices[booking.pk] = price
    return prices
