"""The one pricing function: what a booking costs, for the invoice run and for the
reservations page alike.

Amounts are Decimal rounded to the cent (half up, as the treasury does).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from reservations.models import Status

from .models import ZERO, ChargeKind, LineKind, Tariff, TariffMode

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Charge:
    kind: LineKind
    description: str
    unit_price: Decimal


class Tariffs:
    """The tariffs of some units, loaded once (with their brackets) for many prices."""

    def __init__(self, tariffs: Iterable[Tariff]):
        self._by_unit: dict[int, list[Tariff]] = defaultdict(list)
        for tariff in tariffs:
            self._by_unit[tariff.unit_id].append(tariff)

    @classmethod
    def load(cls, *, unit_ids: Iterable[int], start: date, end: date) -> "Tariffs":
        return cls(
            Tariff.objects.filter(unit_id__in=set(unit_ids), valid_from__lte=end)
            .exclude(valid_until__lt=start)
            .prefetch_related("brackets")
            .order_by("unit_id", "-valid_from")
        )

    def for_(self, unit_id: int, day: date) -> Tariff | None:
        return next((t for t in self._by_unit.get(unit_id, ()) if t.covers(day)), None)


def base_price(tariff: Tariff, family, day: date) -> tuple[Decimal, str]:
    """The unit price for this family that day, and how it was found (shown on invoices)."""
    if family.out_of_commune and tariff.out_of_commune_price is not None:
        return tariff.out_of_commune_price, "tarif hors commune"
    qf = family.quotient_on(day)
    if tariff.mode == TariffMode.EFFORT_RATE:
        if qf is None:
            if tariff.maximum is None:
                raise ValueError(f"{tariff} : un maximum est nécessaire pour les familles sans QF.")
            return tariff.maximum, "sans QF valide : prix maximum"
        price = cents(qf * tariff.effort_rate)
        if tariff.minimum is not None and price < tariff.minimum:
            return tariff.minimum, f"QF {qf:.0f} : prix minimum"
        if tariff.maximum is not None and price > tariff.maximum:
            return tariff.maximum, f"QF {qf:.0f} : prix maximum"
        return price, f"QF {qf:.0f} × taux d'effort"
    brackets = sorted(tariff.brackets.all(), key=lambda b: (b.qf_max is None, b.qf_max or 0))
    if not brackets:
        raise ValueError(f"{tariff} n'a aucune tranche.")
    if qf is not None:
        for bracket in brackets:
            if bracket.qf_max is not None and qf <= bracket.qf_max:
                return bracket.price, f"QF ≤ {bracket.qf_max:.0f}"
    top = brackets[-1]
    return top.price, "sans QF valide : dernière tranche" if qf is None else "dernière tranche"


def _extra(kind: str, value: Decimal, base: Decimal) -> Decimal:
    return cents(base * value / 100) if kind == ChargeKind.PERCENT else value


def charges(booking, *, family, tariff: Tariff | None, pai: bool) -> list[Charge]:
    """What one booking adds to the invoice, by its status (none for a free day)."""
    if tariff is None:
        return []
    unit = booking.unit
    base, how = base_price(tariff, family, booking.day)
    meal = pai and unit.includes_meal and tariff.pai_price is not None
    price = tariff.pai_price if meal else base
    kind = LineKind.PAI if meal else LineKind.NORMAL
    label = f"{unit.name} (panier-repas PAI)" if meal else f"{unit.name} ({how})"
    status = booking.status
    if status == Status.EXCUSED:
        return [Charge(LineKind.EXEMPT, f"{unit.name} — absence justifiée, non facturé", ZERO)]
    if status == Status.LATE_CANCELLED:
        fee = _extra(tariff.late_cancel_kind, tariff.late_cancel_value, price)
        return (
            [Charge(LineKind.SURCHARGE, f"{unit.name} — annulation hors délai", fee)] if fee else []
        )
    if status not in (Status.BOOKED, Status.PRESENT, Status.ABSENT):
        return []
    result = [Charge(kind, label, price)]
    if booking.unbooked:
        extra = _extra(tariff.unbooked_kind, tariff.unbooked_value, price)
        if extra:
            result.append(
                Charge(LineKind.SURCHARGE, f"{unit.name} — présence sans réservation", extra)
            )
    elif booking.after_deadline:
        extra = _extra(tariff.late_booking_kind, tariff.late_booking_value, price)
        if extra:
            result.append(
                Charge(LineKind.SURCHARGE, f"{unit.name} — réservation hors délai", extra)
            )
    return result


def booking_price(booking, *, family, tariff: Tariff | None, pai: bool) -> Decimal | None:
    """The total one booking costs (None when the unit has no tariff that day)."""
    if tariff is None:
        return None
    return sum(
        (c.unit_price for c in charges(booking, family=family, tariff=tariff, pai=pai)), ZERO
    )
