"""The month shows each booked day's price and the month's total, from billing's pricing
function (the invoice run's own), and nothing when there is no tariff."""

from datetime import date
from decimal import Decimal

import pytest

from billing.models import Tariff, TariffBracket, TariffMode
from reservations.services import book
from tests.reservations.pages import freeze, text

pytestmark = pytest.mark.django_db
URL = "/reservations/"


@pytest.fixture
def priced_meal(meal):
    tariff = Tariff.objects.create(unit=meal, valid_from=date(2026, 9, 1), mode=TariffMode.BRACKETS)
    TariffBracket.objects.create(tariff=tariff, qf_max=Decimal("700"), price=Decimal("2.35"))
    TariffBracket.objects.create(tariff=tariff, qf_max=None, price=Decimal("4.60"))
    return meal


def test_booked_days_show_their_price_and_the_month_its_total(
    parent_client, parent, family, enrolled, priced_meal, agent, time_machine
):
    freeze(time_machine, parent_client, parent)
    family.quotient, family.quotient_valid_from = Decimal("600"), date(2026, 1, 1)
    family.save()
    days = [date(2026, 12, 3), date(2026, 12, 4), date(2026, 12, 7)]
    book(items=[(c, priced_meal, d) for c in enrolled for d in days], by=agent)
    page = text(parent_client.get(URL, {"mois": "2026-12"}))
    assert "Réservé · 2,35 €" in page
    assert "Total estimé du mois (facturé en fin de mois selon la présence) 14,10 €" in page


def test_without_tariff_no_price_is_shown(
    parent_client, parent, enrolled, meal, agent, time_machine
):
    freeze(time_machine, parent_client, parent)
    book(items=[(enrolled[0], meal, date(2026, 12, 3))], by=agent)
    page = text(parent_client.get(URL, {"mois": "2026-12"}))
    assert "Réservé" in page
    assert "€" not in page


def test_a_new_price_shows_on_the_next_request(
    parent_client, parent, enrolled, priced_meal, agent, time_machine
):
    """The tariffs are kept between requests only while the database holds the same."""
    freeze(time_machine, parent_client, parent)
    book(items=[(enrolled[0], priced_meal, date(2026, 12, 3))], by=agent)
    assert "Réservé · 4,60 €" in text(parent_client.get(URL, {"mois": "2026-12"}))
    TariffBracket.objects.filter(qf_max=None).update(price=Decimal("4.80"))
    assert "Réservé · 4,80 €" in text(parent_client.get(URL, {"mois": "2026-12"}))
    Tariff.objects.all().delete()
    assert "€" not in text(parent_client.get(URL, {"mois": "2026-12"}))
