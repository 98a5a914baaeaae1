"""« Enregistrer un paiement » at the cash desk: the form, its French errors (never a 500),
who may use it, and what the family gets."""

from datetime import date, datetime
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from billing.models import Method, Payment
from messaging.models import Kind, Message
from tests.billing.ledger import invoice
from tests.billing.payments import allocated
from tests.helpers import page_text

pytestmark = pytest.mark.django_db
URL = "/admin/billing/payment/add/"
NOW = datetime(2026, 12, 10, 14, 30)


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(timezone.make_aware(NOW), tick=False)


@pytest.fixture
def october(family, regie_enfance):
    return invoice(family, regie_enfance, period=date(2026, 10, 1), total="30.00")


@pytest.fixture
def november(family, regie_enfance, october):
    return invoice(family, regie_enfance, period=date(2026, 11, 1), total="40.00")


def form(regie, payer, **fields) -> dict:
    return {
        "regie": regie.pk,
        "family": payer.pk,
        "method": Method.CHEQUE,
        "amount": "45,50",
        "received_at_0": "10/12/2026",
        "received_at_1": "09:15",
        "reference": "0012345",
        "bank": "Crédit Agricole",
        "allocation": "oldest",
        **fields,
    }


def test_a_cheque_is_recorded_allocated_and_its_receipt_sent(
    agent_client,
    agent,
    family,
    parent,
    regie_enfance,
    october,
    november,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(URL, form(regie_enfance, family), follow=True)

    payment = Payment.objects.get()
    assert (payment.method, payment.amount, payment.reference, payment.bank) == (
        Method.CHEQUE,
        D("45.50"),
        "0012345",
        "Crédit Agricole",
    )
    assert payment.received_at == timezone.make_aware(datetime(2026, 12, 10, 9, 15))
    assert payment.recorded_by == agent
    assert (allocated(to=october), allocated(to=november)) == (D("30.00"), D("15.50"))
    text = page_text(response)
    assert "Paiement de 45,50\u00a0€ enregistré : reçu n° ER2026000001, envoyé à la famille." in (
        text
    )
    assert f"/admin/billing/payment/{payment.pk}/recu/" in response.content.decode()
    message = Message.objects.get(recipient=family, kind=Kind.PAYMENT)
    assert message.attachments.get().name == "recu-ER2026000001.pdf"


def test_chosen_invoices_are_settled_first(agent_client, family, regie_enfance, october, november):
    data = form(regie_enfance, family, allocation="chosen", invoices=[november.pk], amount="40")
    agent_client.post(URL, data)

    assert (allocated(to=october), allocated(to=november)) == (D("0"), D("40.00"))


def test_the_family_page_leads_to_the_form_with_its_invoices(
    agent_client, family, regie_enfance, october
):
    account = agent_client.get(f"/admin/billing/invoice/famille/{family.pk}/").content.decode()
    assert f'href="{URL}?famille={family.pk}"' in account

    page = agent_client.get(f"{URL}?famille={family.pk}")
    assert page.status_code == 200
    assert f"{october.number} — Octobre 2026, Régie enfance : reste 30,00" in page_text(page)


def test_the_list_add_button_leads_to_the_form(agent_client):
    page = agent_client.get("/admin/billing/payment/").content.decode()
    assert f'href="{URL}"' in page
    assert 'href="/admin/billing/payment/journal/"' in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reference": ""}, "Indiquez le numéro du chèque."),
        ({"bank": ""}, "Indiquez la banque du chèque."),
        ({"amount": "0"}, "Le montant doit être supérieur à zéro."),
        ({"amount": "douze"}, "Saisissez un nombre."),
        ({"allocation": "chosen"}, "Cochez au moins une facture"),
        ({"method": Method.ONLINE}, "Sélectionnez un choix valide."),
        ({"received_at_0": "31/02/2026"}, "Saisissez une date valide."),
        ({"family": "999999"}, "Sélectionnez un choix valide."),
        ({"received_at_0": "11/12/2026"}, "La date de réception ne peut pas être dans le futur."),
        (
            {"method": Method.CESU, "reference": "", "bank": ""},
            "La régie « Régie enfance » n'accepte pas les CESU.",
        ),
    ],
)
def test_bad_input_is_refused_in_french_and_records_nothing(
    agent_client, family, regie_enfance, october, fields, message
):
    response = agent_client.post(URL, form(regie_enfance, family, **fields))

    assert response.status_code == 400
    assert message in page_text(response)
    assert Payment.objects.count() == 0


def test_another_familys_invoice_cannot_be_ticked(
    agent_client, family, other_family, regie_enfance, october
):
    theirs = invoice(other_family, regie_enfance, period=date(2026, 10, 1), total="9.00")
    data = form(regie_enfance, family, allocation="chosen", invoices=[theirs.pk])

    response = agent_client.post(URL, data)

    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in page_text(response)
    assert Payment.objects.count() == 0


def test_a_staff_member_without_the_permission_is_refused(client, family, regie_enfance):
    reader = User.objects.create_user("lecteur", password="x", is_staff=True)
    reader.groups.add(Group.objects.get(name="Enfance Jeunesse"))
    client.force_login(reader)

    assert client.get(URL).status_code == 403
    assert client.post(URL, form(regie_enfance, family)).status_code == 403
    assert Payment.objects.count() == 0


def test_the_cashier_group_may_record_payments(agent):
    assert (
        Group.objects.get(name="Comptabilité").permissions.filter(codename="add_payment").exists()
    )
    assert agent.has_perm("billing.add_payment")


def test_a_parent_never_reaches_the_desk(parent_client):
    response = parent_client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_recorded_payment_stays_as_it_was(agent_client, family, regie_enfance, october):
    agent_client.post(URL, form(regie_enfance, family))
    payment = Payment.objects.get()

    page = agent_client.get(f"/admin/billing/payment/{payment.pk}/change/")
    assert page.status_code == 200
    assert 'name="amount"' not in page.content.decode()  # read-only
    response = agent_client.post(f"/admin/billing/payment/{payment.pk}/change/", {"amount": "1"})
    assert response.status_code == 403
    assert agent_client.post(f"/admin/billing/payment/{payment.pk}/delete/").status_code == 403
    payment.refresh_from_db()
    assert payment.amount == D("45.50")


def test_staff_print_any_receipt(agent_client, family, regie_enfance, october):
    agent_client.post(URL, form(regie_enfance, family))
    payment = Payment.objects.get()

    response = agent_client.get(f"/admin/billing/payment/{payment.pk}/recu/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
