"""The prices shown on the parent's reservations month: the invoice run's own pricing
function, applied to the family's bookings of the period (a constant number of queries)."""

from datetime import date
from decimal import Decimal

from accounts.models import Family
from children.models import Health
from reservations.models import Booking

from .pricing import Tariffs, booking_price


def family_booking_prices(family_id: int, start: date, end: date) -> dict[int, Decimal]:
    bookings = list(
        Booking.objects.holding()
        .filter(child__family_id=family_id, day__range=(start, end))
        .select_related("unit")
    )
    if not bookings:
        return {}
    family = Family.objects.get(pk=family_id)
    tariffs = Tariffs.load(unit_ids={b.unit_id for b in bookings}, start=start, end=end)
    pai = set(
        Health.objects.filter(child__family_id=family_id, pai=True).values_list(
            "child_id", flat=True
        )
    )
    prices = {}
    for booking in bookings:
        tariff = tariffs.for_(booking.unit_id, booking.day)
        price = booking_price(booking, family=family, tariff=tariff, pai=booking.child_id in pai)
        if price is not None:
            prices[booking.pk] = price
    return prices
