"""The simulator's SOAP service, reached through eopayment's own PayFiP client."""

import logging
from datetime import timedelta

import pytest
import requests
import time_machine
from django.utils import timezone
from eopayment.payfip_ws import PayFiPError

from billing.payfip_client import payfip_client, payment_page_url
from payfip_simulator.models import SimulatedPayment
from tests.payfip_simulator.helpers import create_idop, decide, request_fields

pytestmark = pytest.mark.django_db

SERVICE_PATH = "/simulateur-payfip/services/securite"


def test_it_creates_an_idop_and_remembers_the_request(payfip_in_process):
    idop = create_idop(payfip_in_process.base)

    payment = SimulatedPayment.objects.get(idop=idop)
    assert len(idop) >= 32 and idop.replace("-", "").isalnum()
    assert (payment.numcli, payment.saisie, payment.exer) == ("123456", "T", "2026")
    assert (payment.refdet, payment.montant, payment.mel) == (
        "F2026RE000042",
        4250,
        "claire@example.org",
    )
    assert payment.objet == "Facture octobre 2026"
    assert payment.urlnotif == payfip_in_process.base + "/test-payfip/notification/"
    assert payment.urlredirect == payfip_in_process.base + "/test-payfip/retour/"
    assert payment.resultrans == ""
    # The call went to the configured service address, not to the real PayFiP.
    assert [call.status for call in payfip_in_process.to(SERVICE_PATH)] == [200]


def test_each_request_gets_its_own_idop(payfip_in_process):
    assert create_idop(payfip_in_process.base) != create_idop(payfip_in_process.base)


def test_the_payment_page_url_comes_from_the_settings(payfip_in_process):
    assert payment_page_url("abc-123") == (
        payfip_in_process.base + "/simulateur-payfip/paiement/?idop=abc-123"
    )


def test_a_payment_without_decision_is_in_progress_p5(payfip_in_process):
    idop = create_idop(payfip_in_process.base)

    with pytest.raises(PayFiPError) as error:
        payfip_client().get_info_paiement(idop)

    assert error.value.code == "P5"


def test_an_unknown_idop_is_p1(payfip_in_process):
    with pytest.raises(PayFiPError) as error:
        payfip_client().get_info_paiement("00000000-0000-0000-0000-000000000000")

    assert error.value.code == "P1"
    assert "expiré" in error.value.message


def test_an_undecided_idop_is_forgotten_after_a_day_p1(payfip_in_process):
    with time_machine.travel(timezone.now() - timedelta(hours=24, minutes=1), tick=False):
        idop = create_idop(payfip_in_process.base)

    with pytest.raises(PayFiPError) as error:
        payfip_client().get_info_paiement(idop)

    assert error.value.code == "P1"


def test_a_decided_payment_is_still_reported_after_a_day(payfip_in_process, client):
    start = timezone.now() - timedelta(days=3)
    with time_machine.travel(start, tick=False):
        idop = create_idop(payfip_in_process.base)
        decide(client, idop, "P")

    assert payfip_client().get_info_paiement(idop).resultrans == "P"


def test_the_details_of_a_paid_idop_are_payfips(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)
    decide(client, idop, "P")

    details = payfip_client().get_info_paiement(idop)

    assert details.idOp == idop
    assert details.resultrans == "P"
    assert details.numauto.isdigit() and len(details.numauto) == 6
    assert (details.numcli, details.saisie, details.exer) == ("123456", "T", "2026")
    assert (details.refdet, details.montant, details.mel) == (
        "F2026RE000042",
        "4250",
        "claire@example.org",
    )
    assert details.objet == "Facture octobre 2026"
    assert len(details.dattrans) == 8 and len(details.heurtrans) == 4


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("numcli", "12345", "NUMCLI"),
        ("numcli", "12345a", "NUMCLI"),
        ("saisie", "M", "SAISIE"),
        ("exer", "26", "EXER"),
        ("montant", "99", "MONTANT"),
        ("montant", "-500", "MONTANT"),
        ("montant", "12.50", "MONTANT"),
        ("montant", "10000001", "MONTANT"),
        ("refdet", "F-2026-42", "REFDET"),
        ("refdet", "F" * 31, "REFDET"),
        ("refdet", "", "REFDET"),
        ("mel", "claire.example.org", "MEL"),
        ("objet", "Facture d'octobre", "OBJET"),
        ("url_notification", "ftp://example.org/", "URLNOTIF"),
        ("url_redirect", "", "URLREDIRECT"),
    ],
)
def test_an_invalid_request_is_a_functional_fault_with_its_code(
    payfip_in_process, field, value, code
):
    with pytest.raises(PayFiPError) as error:
        payfip_client().get_idop(**request_fields(payfip_in_process.base, **{field: value}))

    assert error.value.code == code
    assert error.value.message
    assert not SimulatedPayment.objects.exists()


def test_the_smallest_and_largest_amounts_are_accepted(payfip_in_process):
    create_idop(payfip_in_process.base, montant="100", refdet="A1")
    create_idop(payfip_in_process.base, montant="10000000", refdet="A2")

    assert sorted(SimulatedPayment.objects.values_list("montant", flat=True)) == [100, 10_000_000]


def test_a_reference_already_paid_cannot_be_paid_again(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)
    decide(client, idop, "P")

    with pytest.raises(PayFiPError) as error:
        create_idop(payfip_in_process.base)

    assert error.value.code == "DEJA_PAYE"
    # Another year's invoice with the same number is another title.
    assert create_idop(payfip_in_process.base, exer="2027")


def test_a_refused_reference_can_be_tried_again(payfip_in_process, client):
    decide(client, create_idop(payfip_in_process.base), "R")

    assert create_idop(payfip_in_process.base)


def test_it_describes_any_six_digit_client(payfip_in_process):
    details = payfip_client().get_info_client("123456")

    assert details.numcli == "123456"
    assert details.libelleN1 == "SIMULATEUR PAYFIP"

    with pytest.raises(PayFiPError) as error:
        payfip_client().get_info_client("12")
    assert error.value.code == "NUMCLI"


def test_a_request_that_is_not_soap_is_a_client_fault(payfip_in_process, client):
    response = client.post(SERVICE_PATH, b"<hello/>", content_type="text/xml")

    assert response.status_code == 500
    assert b"faultcode>S:Client<" in response.content
    assert b"Enveloppe SOAP" in response.content


def test_an_entity_in_the_request_is_not_expanded(payfip_in_process, client):
    body = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>&e;'
        b"</S:Body></S:Envelope>"
    )
    response = client.post(SERVICE_PATH, body, content_type="text/xml")

    assert response.status_code == 500
    assert b"root:" not in response.content


def test_the_service_answers_only_post(payfip_in_process, client):
    assert client.get(SERVICE_PATH).status_code == 405


def test_the_timeout_and_session_are_those_given(payfip_in_process):
    session = requests.Session()
    payfip = payfip_client(timeout=3, session=session)

    assert payfip.default_timeout == 3
    assert payfip.client.transport.session is session
    assert payfip.get_info_client("123456").numcli == "123456"


def test_a_fault_is_an_answer_not_an_error_in_the_logs(payfip_in_process, caplog):
    idop = create_idop(payfip_in_process.base)

    with caplog.at_level(logging.WARNING, logger="django.request"), pytest.raises(PayFiPError):
        payfip_client().get_info_paiement(idop)

    assert [call.status for call in payfip_in_process.to(SERVICE_PATH)] == [200, 500]
    assert "Internal Server Error" not in caplog.text
