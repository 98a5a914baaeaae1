"""Tariffs for the canteen of tests/reservations: 4 QF brackets plus « cantine à 1 € »."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import ChargeKind, Regie, RegieActivity, Tariff, TariffBracket, TariffMode
from tests.billing.ledger import previous_year, regie_enfance  # noqa: F401 — account fixtures
from tests.reservations.conftest import *  # noqa: F403 — the reservations fixtures


@pytest.fixture
def regie(canteen, alsh) -> Regie:
    regie = Regie.objects.create(name="Régie périscolaire", code="F", payee="Régie de Valmont")
    RegieActivity.objects.create(regie=regie, activity=canteen)
    RegieActivity.objects.create(regie=regie, activity=alsh)
    return regie


@pytest.fixture
def meal_tariff(meal) -> Tariff:
    tariff = Tariff.objects.create(
        unit=meal,
        valid_from=date(2026, 9, 1),
        mode=TariffMode.BRACKETS,
        out_of_commune_price=Decimal("6.20"),
        pai_price=Decimal("1.50"),
        late_booking_kind=ChargeKind.FIXED,
        late_booking_value=Decimal("1.00"),
        unbooked_kind=ChargeKind.PERCENT,
        unbooked_value=Decimal("50"),
        late_cancel_kind=ChargeKind.PERCENT,
        late_cancel_value=Decimal("100"),
    )
    for qf_max, price in [("450", "1.00"), ("700", "2.35"), ("1000", "3.40"), (None, "4.60")]:
        TariffBracket.objects.create(
            tariff=tariff, qf_max=Decimal(qf_max) if qf_max else None, price=Decimal(price)
        )
    return tariff


@pytest.fixture
def alsh_tariff(alsh_day) -> Tariff:
    return Tariff.objects.create(
        unit=alsh_day,
        valid_from=date(2026, 9, 1),
        mode=TariffMode.EFFORT_RATE,
        effort_rate=Decimal("0.0200"),
        minimum=Decimal("5.00"),
        maximum=Decimal("18.00"),
    )
