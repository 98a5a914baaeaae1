"""The payments journal of a régie's month, by method: the page and its CSV."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from accounts.models import User
from billing.journal import payments_journal
from billing.models import Method, Regie
from billing.payments import record_payment
from tests.billing.ledger import invoice
from tests.helpers import page_text

pytestmark = pytest.mark.django_db
URL = "/admin/billing/payment/journal/"


def paris(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(paris(2026, 12, 10, 12), tick=False)


@pytest.fixture
def november(family, other_family, regie_enfance):
    october = invoice(family, regie_enfance, period=date(2026, 10, 1), total="30.00")
    invoice(other_family, regie_enfance, period=date(2026, 10, 1), total="12.00")
    sports = Regie.objects.create(name="Régie sports", code="S", payee="Régie sports")

    def pay(who, amount, method, at, regie=regie_enfance, **fields):
        return record_payment(
            regie=regie, family=who, method=method, amount=D(amount), received_at=at, **fields
        )

    cheque = pay(
        family, "20.00", Method.CHEQUE, paris(2026, 11, 3, 10), reference="77", bank="=SUM(A1)"
    )
    pay(other_family, "12.00", Method.CASH, paris(2026, 11, 30, 23, 30))  # Paris: November
    pay(family, "10.00", Method.CASH, paris(2026, 11, 15, 9))
    pay(family, "5.00", Method.CASH, paris(2026, 12, 1, 0, 10))  # December
    pay(family, "3.00", Method.CASH, paris(2026, 10, 31, 23, 50))  # October
    pay(family, "8.00", Method.CASH, paris(2026, 11, 20, 9), regie=sports)  # another régie
    return cheque, october


def test_the_month_totals_by_method(regie_enfance, november):
    journal = payments_journal(regie=regie_enfance, month=date(2026, 11, 1))

    assert [(g.label, len(g.payments), g.total) for g in journal.groups] == [
        ("Chèque", 1, D("20.00")),
        ("Espèces", 2, D("22.00")),
    ]
    assert (journal.count, journal.total) == (3, D("42.00"))


def test_the_page_lists_each_payment_under_its_method(
    agent_client, regie_enfance, november, django_assert_max_num_queries
):
    cheque, october = november
    with django_assert_max_num_queries(12):
        response = agent_client.get(URL, {"mois": "2026-11", "regie": regie_enfance.pk})

    text = page_text(response)
    assert "Journal des paiements — Régie enfance, Novembre 2026" in text
    assert "42,00\u00a0€" in text
    assert "Total Chèque" in text and "Total Espèces" in text
    assert cheque.receipt_number in text
    assert october.number in text
    assert "03/11/2026 10:00" in text
    assert "30/11/2026 23:30" in text


def test_the_csv_is_for_french_excel(agent_client, regie_enfance, november):
    cheque, october = november
    response = agent_client.get(URL + "csv/", {"mois": "2026-11", "regie": regie_enfance.pk})

    assert response["Content-Disposition"] == 'attachment; filename="paiements-E-2026-11.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeffMode de paiement;N° de reçu;Date;Heure;Famille;")
    rows = [line.split(";") for line in content.lstrip("\ufeff").split("\r\n")]
    assert rows[1] == [
        "Chèque",
        cheque.receipt_number,
        "03/11/2026",
        "10:00",
        "MARTIN",
        "77",
        "'=SUM(A1)",  # never a formula
        "20,00",
        october.number,
    ]
    assert ["Total Chèque", "1", "", "", "", "", "", "20,00", ""] in rows
    assert ["Total", "3", "", "", "", "", "", "42,00", ""] in rows


def test_a_bad_month_is_a_message_not_a_500(agent_client, regie_enfance):
    response = agent_client.get(URL, {"mois": "2026-13", "regie": regie_enfance.pk})
    assert response.status_code == 400
    assert "Choisissez une régie et un mois" in page_text(response)

    response = agent_client.get(URL + "csv/", {"mois": "novembre", "regie": "x"})
    assert response.status_code == 302


def test_the_journal_needs_the_view_permission(client, parent_client, regie_enfance):
    nobody = User.objects.create_user("stagiaire", password="x", is_staff=True)
    client.force_login(nobody)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "csv/").status_code == 403
    assert parent_client.get(URL).status_code == 302  # to the admin login
