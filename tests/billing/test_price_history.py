"""Who changed a price, and from what to what: the « Historique » of a tariff and a régie.

A clerk of Comptabilité changes a tariff and one of its brackets (edited in the tariff's
inline) in the admin; the tariff's history page lists both changes, the old and the new
value, and the clerk's name. Staff who may not read tariffs are refused the page.
"""

from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import User
from billing.demo import seed_billing
from billing.models import Tariff, TariffBracket
from portail.demo import seed_demo
from tests.admin_forms import change_form_data
from tests.billing.invoicing import PARIS
from tests.helpers import page_text
from tests.reservations import staff as reservations_staff

pytestmark = pytest.mark.django_db

accountant = reservations_staff.accountant
accountant_client = reservations_staff.accountant_client


@pytest.fixture
def childcare_client(reference_data) -> Client:
    """Staff of Enfance Jeunesse only: they read no tariff."""
    user = User.objects.create_user("animation", is_staff=True, first_name="Léa", last_name="Roux")
    user.groups.add(Group.objects.get(name="Enfance Jeunesse"))
    client = Client()
    client.force_login(user)
    return client


def _change_tariff(client, tariff: Tariff, **changes):
    url = f"/admin/billing/tariff/{tariff.pk}/change/"
    data = change_form_data(client.get(url), **changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


def _squeezed(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").split())


def _bracket_field(tariff: Tariff, qf_max: str) -> str:
    brackets = list(tariff.brackets.all())
    index = next(i for i, b in enumerate(brackets) if b.qf_max == Decimal(qf_max))
    return f"brackets-{index}-price"


def test_a_price_and_a_bracket_changed_in_the_admin_are_in_the_tariff_history(
    accountant_client, accountant, meal_tariff
):
    _change_tariff(
        accountant_client,
        meal_tariff,
        pai_price="1,75",
        **{_bracket_field(meal_tariff, "700"): "2,50"},
    )

    tariff_version = meal_tariff.history.latest()
    assert tariff_version.pai_price == Decimal("1.75")
    assert tariff_version.history_user == accountant
    bracket = TariffBracket.objects.get(tariff=meal_tariff, qf_max=Decimal("700"))
    bracket_version = bracket.history.latest()
    assert (bracket_version.price, bracket_version.history_type) == (Decimal("2.50"), "~")
    assert bracket_version.history_user == accountant
    assert bracket_version.prev_record.price == Decimal("2.35")

    page = page_text(accountant_client.get(f"/admin/billing/tariff/{meal_tariff.pk}/history/"))
    tariff_part, brackets_part = page.split("Historique : tranches")
    assert _squeezed("<strong>Prix panier-repas PAI:</strong> 1.50 → 1.75") in _squeezed(
        tariff_part
    )
    assert "<strong>Prix :</strong> 2.35\xa0→\xa02.50" in brackets_part
    assert "2.35 → 2.50" not in _squeezed(tariff_part)
    assert f"<td>{accountant}</td>" in brackets_part
    assert str(accountant) in tariff_part


def test_a_bracket_left_alone_has_no_new_version(accountant_client, meal_tariff):
    before = TariffBracket.history.count()

    _change_tariff(accountant_client, meal_tariff, pai_price="1,60")

    assert TariffBracket.history.count() == before
    assert meal_tariff.history.count() == 2  # created, then changed


def test_a_deleted_bracket_stays_in_the_tariff_history(client, superuser, meal_tariff):
    # Comptabilité adds and changes brackets; deleting one is for a superuser.
    client.force_login(superuser)
    field = _bracket_field(meal_tariff, "450")
    _change_tariff(client, meal_tariff, **{field.replace("price", "DELETE"): "on"})

    assert not meal_tariff.brackets.filter(qf_max=Decimal("450")).exists()
    deleted = TariffBracket.history.filter(tariff_id=meal_tariff.pk, history_type="-").get()
    assert (deleted.price, deleted.history_user) == (Decimal("1.00"), superuser)
    page = page_text(client.get(f"/admin/billing/tariff/{meal_tariff.pk}/history/"))
    assert "Effacé" in page.split("Historique : tranches")[1]


def test_the_regie_history_lists_its_activities(accountant_client, accountant, regie, canteen):
    url = f"/admin/billing/regie/{regie.pk}/change/"
    data = change_form_data(accountant_client.get(url), payment_days="45")
    prefix = next(key for key, value in data.items() if value == str(canteen.pk))
    data[prefix.replace("-activity", "-accepts_cesu")] = "on"

    assert accountant_client.post(url, data).status_code == 302

    assert regie.history.latest().history_user == accountant
    page = page_text(accountant_client.get(f"/admin/billing/regie/{regie.pk}/history/"))
    regie_part, activities_part = page.split("Historique : activités de la régie")
    assert "Délai de paiement (jours):</strong> 30 → 45" in _squeezed(regie_part)
    assert "<strong>CESU acceptés :</strong> False\xa0→\xa0True" in activities_part
    assert f"<td>{accountant}</td>" in activities_part


def test_the_history_pages_answer_only_staff_who_read_tariffs(
    accountant_client, childcare_client, client, meal_tariff, regie
):
    for url in (
        f"/admin/billing/tariff/{meal_tariff.pk}/history/",
        f"/admin/billing/regie/{regie.pk}/history/",
    ):
        assert accountant_client.get(url).status_code == 200
        assert childcare_client.get(url).status_code == 403
        assert client.get(url).status_code == 302  # not logged in: the admin's login


def test_the_change_page_links_to_its_history(accountant_client, meal_tariff):
    page = page_text(accountant_client.get(f"/admin/billing/tariff/{meal_tariff.pk}/change/"))

    assert f'href="/admin/billing/tariff/{meal_tariff.pk}/history/"' in page
    assert "Historique" in page


def test_the_demo_tariffs_start_their_history_so_a_first_change_shows_its_old_value(
    accountant_client,
):
    with time_machine.travel(datetime(2026, 11, 26, 9, 0, tzinfo=PARIS), tick=False):
        seed_demo(date(2026, 11, 26))
        seed_billing(date(2026, 11, 26))
    brackets = TariffBracket.objects.all()
    assert brackets.exists()
    created = TariffBracket.history.filter(history_type="+")
    assert set(created.values_list("id", flat=True)) == set(brackets.values_list("pk", flat=True))

    bracket = brackets.filter(qf_max__isnull=False).select_related("tariff").first()
    tariff = bracket.tariff
    field = _bracket_field(tariff, str(bracket.qf_max))
    old = f"{bracket.price}"
    _change_tariff(accountant_client, tariff, **{field: "9,99"})

    page = page_text(accountant_client.get(f"/admin/billing/tariff/{tariff.pk}/history/"))
    assert f"<strong>Prix :</strong> {old}\xa0→\xa09.99" in page.split("Historique : tranches")[1]
