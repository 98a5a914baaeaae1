"""A demo server's simulator serves its own portal only (issue #11, item 8).

Anyone can reach /simulateur-payfip/ on a demo server. The simulator notifies and sends the
payer back only to the portal's address (never fetching another), takes only the payments
the portal is opening, and tells an outcome only for the idOps the portal holds. Here the
portal's side is billing's own (billing/payfip_simulation.py), not a stand-in.
"""

import uuid
from datetime import date
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from eopayment.payfip_ws import PayFiPError

from billing.models import OnlineTransaction, Payment, Regie, TransactionState
from billing.payfip_client import payfip_client
from payfip_simulator.models import Result, SimulatedPayment
from tests.billing.ledger import invoice, payment
from tests.helpers import page_text
from tests.payfip_simulator.helpers import BANNER, decide, open_page, page_path, request_fields

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def billing_is_the_portal(stand_in_portal, settings):
    settings.PAYFIP_SIMULATOR_PORTAL = "billing.payfip_simulation"


@pytest.fixture
def no_outbound_call(monkeypatch) -> mock.Mock:
    """The simulator's one outgoing request (the notification), watched."""
    post = mock.Mock(side_effect=AssertionError("the simulator must not call this address"))
    monkeypatch.setattr("payfip_simulator.services.requests.post", post)
    return post


@pytest.fixture
def regie(db) -> Regie:
    return Regie.objects.create(
        name="Régie enfance", code="E", payee="Régie enfance de Valmont", payfip_numcli="123456"
    )


@pytest.fixture
def october(family, regie):
    return invoice(family, regie, period=date(2026, 10, 1), total="42.50", issued=date(2026, 11, 2))


def october_fields(base: str, october, **overrides) -> dict:
    """What the portal asks PayFiP for `october`, unless overridden."""
    return request_fields(
        base,
        **{
            "refdet": october.number,
            "exer": str(october.year),
            "montant": "4250",
            "url_notification": base + reverse("billing:online_notify", args=[uuid.UUID(int=0)]),
            "url_redirect": base + reverse("billing:online_return", args=[uuid.UUID(int=0)]),
            **overrides,
        },
    )


def fault_code(**fields) -> str:
    with pytest.raises(PayFiPError) as error:
        payfip_client().get_idop(**fields)
    return error.value.code


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.2:9/",
        "http://169.254.169.254/latest/meta-data/",
        "http://intranet.example.org/notification/",
        "http://127.0.0.1:8001/notification/",  # the portal's host, another port
        "https://127.0.0.1:8000/notification/",  # another scheme, so another port
        "http://127.0.0.1:8000@127.0.0.2:9/",  # the portal's address as a user name
        "http://127.0.0.1:8000\\@127.0.0.2:9/",
        "http://localhost:8000/notification/",
    ],
)
def test_a_notification_address_off_the_portal_is_refused_and_never_called(
    payfip_in_process, october, no_outbound_call, address
):
    base = payfip_in_process.base
    code = fault_code(**october_fields(base, october, url_notification=address))

    assert code == "URLNOTIF"
    assert not SimulatedPayment.objects.exists()
    no_outbound_call.assert_not_called()


def test_the_refusal_says_why_in_french(payfip_in_process, october):
    base = payfip_in_process.base
    with pytest.raises(PayFiPError) as error:
        payfip_client().get_idop(
            **october_fields(base, october, url_notification="http://127.0.0.2:9/")
        )

    assert "ne notifie que le portail" in error.value.message


def test_a_return_address_off_the_portal_is_refused(payfip_in_process, october):
    base = payfip_in_process.base
    code = fault_code(
        **october_fields(base, october, url_redirect="https://phishing.example/retour")
    )

    assert code == "URLREDIRECT"
    assert not SimulatedPayment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"refdet": "E2026000999"}, "no such invoice"),
        ({"montant": "100"}, "not what the invoice asks"),
        ({"numcli": "654321"}, "another régie's client number"),
        ({"exer": "2025"}, "another year"),
    ],
)
def test_a_payment_the_portal_is_not_opening_is_refused(payfip_in_process, october, overrides, why):
    base = payfip_in_process.base
    with pytest.raises(PayFiPError) as error:
        payfip_client().get_idop(**october_fields(base, october, **overrides))

    assert error.value.code == "REFDET", why
    assert "Paiement inconnu" in error.value.message
    assert not SimulatedPayment.objects.exists()


def test_a_paid_invoice_cannot_be_paid_in_the_simulator(payfip_in_process, october, regie):
    base = payfip_in_process.base
    assert SimulatedPayment.objects.filter(
        idop=payfip_client().get_idop(**october_fields(base, october))
    ).exists()

    payment(october.family, regie, amount="42.50", received=date(2026, 11, 5), settles=october)

    assert fault_code(**october_fields(base, october)) == "REFDET"


def test_an_outsider_cannot_pre_pay_an_invoice_and_block_the_family(
    payfip_in_process, client, parent_client, october, django_capture_on_commit_callbacks
):
    # Someone who knows the invoice's number and amount opens an idOp for it…
    base = payfip_in_process.base
    stolen = payfip_client().get_idop(**october_fields(base, october))

    # …but no portal transaction holds it: its page is unknown, it cannot be decided…
    assert open_page(client, stolen).status_code == 404
    response = decide(client, stolen, Result.PAID)
    assert response.status_code == 404
    assert "Opération inconnue ou expirée" in page_text(response)
    assert SimulatedPayment.objects.get(idop=stolen).resultrans == Result.PENDING
    # …nor read.
    with pytest.raises(PayFiPError) as error:
        payfip_client().get_info_paiement(stolen)
    assert error.value.code == "P1"

    # The family pays as usual.
    assert parent_client.post(reverse("billing:pay", args=[october.pk])).status_code == 302
    online = OnlineTransaction.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        decide(parent_client, online.idop, Result.PAID)
    online.refresh_from_db()
    assert online.state == TransactionState.PAID
    assert Payment.objects.get().amount == october.total


def test_details_are_told_only_for_an_idop_the_portal_holds(
    payfip_in_process, client, parent_client, october
):
    parent_client.post(reverse("billing:pay", args=[october.pk]))
    online = OnlineTransaction.objects.get()
    decide(parent_client, online.idop, Result.REFUSED)
    assert payfip_client().get_info_paiement(online.idop).resultrans == "R"

    # Decided in the simulator but not the portal's (as a row written before the check).
    foreign = SimulatedPayment.objects.create(
        numcli="123456",
        saisie="T",
        exer="2026",
        refdet=october.number,
        montant=4250,
        mel="claire@example.org",
        urlnotif=payfip_in_process.base + "/",
        urlredirect=payfip_in_process.base + "/",
        **SimulatedPayment.decision_fields(Result.PAID, online.created_at),
    )
    for idop in (foreign.idop, "00000000-0000-0000-0000-000000000000"):
        with pytest.raises(PayFiPError) as error:
            payfip_client().get_info_paiement(idop)
        assert error.value.code == "P1"
    assert client.get(page_path(foreign.idop)).status_code == 404


def test_a_stored_row_with_a_foreign_address_is_neither_notified_nor_returned_to(
    payfip_in_process, client, parent_client, october, no_outbound_call
):
    parent_client.post(reverse("billing:pay", args=[october.pk]))
    online = OnlineTransaction.objects.get()
    # Written before the simulator checked addresses, or PORTAL_URL changed since.
    SimulatedPayment.objects.filter(idop=online.idop).update(
        urlnotif="http://127.0.0.2:9/", urlredirect="https://phishing.example/retour"
    )

    response = decide(client, online.idop, Result.PAID)

    no_outbound_call.assert_not_called()
    assert response.status_code == 400
    text = page_text(response)
    assert BANNER in response.content.decode()
    assert "Adresse de retour refusée" in text
    assert "La notification au site de la commune a échoué" in text
    assert "phishing.example" not in response.content.decode()
    assert SimulatedPayment.objects.get(idop=online.idop).notified_at is None


@pytest.mark.django_db(transaction=True)
def test_the_family_pays_when_portal_and_simulator_answer_on_their_own_connections(
    live_server, settings, parent, october
):
    """As on a demo server: the SOAP call, the notification and the details request are
    real HTTP requests, each on its own database connection. The simulator is asked while
    the portal's transaction row is not committed yet, so it must answer from the invoice."""
    settings.PAYFIP_SIMULATOR = True
    settings.PORTAL_URL = live_server.url + "/"
    settings.PAYFIP_SERVICE_URL = f"{live_server.url}/simulateur-payfip/services/securite"
    settings.PAYFIP_PAYMENT_URL = f"{live_server.url}/simulateur-payfip/paiement/"
    settings.ROOT_URLCONF = "tests.payfip_simulator.urls"
    browser = Client()
    browser.force_login(parent)

    response = browser.post(reverse("billing:pay", args=[october.pk]))

    assert response.status_code == 302, page_text(response)
    online = OnlineTransaction.objects.get()
    assert response["Location"] == f"{live_server.url}{page_path(online.idop)}"
    decide(browser, online.idop, Result.PAID)  # notifies the portal over HTTP, which asks back
    online.refresh_from_db()
    assert online.state == TransactionState.PAID
    assert Payment.objects.get().transaction_id == online.idop
