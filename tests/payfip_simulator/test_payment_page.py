"""The payer's page: pay, refuse or abandon once; the notification; the way back."""

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import eopayment
import pytest
import requests
import time_machine
from django.utils import timezone

from billing.payfip_client import payfip_client
from payfip_simulator.models import SimulatedPayment
from tests.payfip_simulator.helpers import (
    BANNER,
    NOTIFICATION_PATH,
    RETURN_PATH,
    create_idop,
    decide,
    open_page,
    page_path,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# A Tuesday of October, 14:05 in Paris (summer time still).
DECISION_TIME = datetime(2026, 10, 13, 14, 5, 30, tzinfo=PARIS)


def eopayment_backend(base: str) -> eopayment.Payment:
    """The high-level eopayment path the portal uses, bound to the configured service."""
    payment = eopayment.Payment(
        "payfip_ws",
        {
            "numcli": "123456",
            "saisie": "T",
            "normal_return_url": base + RETURN_PATH,
            "automatic_return_url": base + NOTIFICATION_PATH,
        },
    )
    payment.backend.payfip = payfip_client()
    return payment


def test_the_page_shows_what_is_paid_under_the_banner(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base, montant="123456")

    response = open_page(client, idop)

    assert response.status_code == 200
    page = response.content.decode()
    assert BANNER in page
    assert "1234,56 €" in page
    assert "F2026RE000042" in page
    assert "Facture octobre 2026" in page
    assert "claire@example.org" in page
    for label in ("Payer", "Refuser", "Abandonner", "Ne pas envoyer la notification"):
        assert label in page
    assert 'name="viewport"' in page


def test_paying_records_p_with_an_authorisation_at_paris_time(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)

    with time_machine.travel(DECISION_TIME, tick=False):
        response = decide(client, idop, "P")

    payment = SimulatedPayment.objects.get(idop=idop)
    assert payment.resultrans == "P"
    assert payment.numauto.isdigit() and len(payment.numauto) == 6
    assert (payment.dattrans, payment.heurtrans) == ("13102026", "1405")
    page = response.content.decode()
    assert BANNER in page
    assert "Paiement accepté" in page
    assert payment.numauto in page


def test_eopayment_sees_a_payment_as_paid(payfip_in_process, client):
    backend = eopayment_backend(payfip_in_process.base)
    idop, _kind, _url = backend.request(
        Decimal("42.50"), email="claire@example.org", refdet="F2026RE000042", exer="2026"
    )
    assert backend.payment_status(idop, transaction_date=timezone.now()).result == eopayment.WAITING

    decide(client, idop, "P")

    status = backend.response(f"idop={idop}")
    assert status.result == eopayment.PAID
    assert status.bank_data["montant"] == "4250"
    assert status.bank_data["numauto"] == SimulatedPayment.objects.get(idop=idop).numauto
    assert status.test is True


def test_eopayment_sees_a_refusal_as_denied(payfip_in_process, client):
    backend = eopayment_backend(payfip_in_process.base)
    idop, _kind, _url = backend.request(Decimal("42.50"), email="claire@example.org", refdet="F1")

    response = decide(client, idop, "R")

    assert "Paiement refusé" in response.content.decode()
    payment = SimulatedPayment.objects.get(idop=idop)
    assert (payment.resultrans, payment.numauto) == ("R", "")
    assert backend.payment_status(idop).result == eopayment.DENIED


def test_eopayment_sees_an_abandon_as_cancelled_after_two_minutes(payfip_in_process, client):
    backend = eopayment_backend(payfip_in_process.base)
    with time_machine.travel(DECISION_TIME, tick=False):
        idop, _kind, _url = backend.request(
            Decimal("42.50"), email="claire@example.org", refdet="F1"
        )
        response = decide(client, idop, "A")
        # PayFiP's payer may still come back to an abandoned idOp for a little while.
        assert backend.payment_status(idop).result == eopayment.WAITING

    assert "Paiement abandonné" in response.content.decode()
    with time_machine.travel(DECISION_TIME + timedelta(minutes=3), tick=False):
        assert backend.payment_status(idop).result == eopayment.CANCELLED


def test_an_unknown_idop_is_expired_for_eopayment(payfip_in_process):
    backend = eopayment_backend(payfip_in_process.base)

    assert backend.payment_status("inconnu").result == eopayment.EXPIRED


def test_the_decision_notifies_urlnotif_with_the_idop(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)

    response = decide(client, idop, "P")

    [notification] = payfip_in_process.to(NOTIFICATION_PATH)
    assert notification.method == "POST"
    assert notification.body == f"idOp={idop}".encode()
    assert notification.status == 200
    assert SimulatedPayment.objects.get(idop=idop).notified_at is not None
    assert "Notification envoyée" in response.content.decode()
    # eopayment recognises PayFiP's notification by its body.
    assert eopayment.Payment.guess(method="POST", body=notification.body) == ("payfip_ws", idop)


@pytest.mark.parametrize("decision", ["R", "A"])
def test_a_refusal_or_an_abandon_is_notified_too(payfip_in_process, client, decision):
    idop = create_idop(payfip_in_process.base)

    decide(client, idop, decision)

    assert [call.body for call in payfip_in_process.to(NOTIFICATION_PATH)] == [
        f"idOp={idop}".encode()
    ]


def test_the_box_keeps_the_notification_from_being_sent(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)

    response = decide(client, idop, "P", skip_notification=True)

    assert payfip_in_process.to(NOTIFICATION_PATH) == []
    payment = SimulatedPayment.objects.get(idop=idop)
    assert (payment.resultrans, payment.notified_at) == ("P", None)
    assert "Notification non envoyée" in response.content.decode()


def test_an_unreachable_urlnotif_is_logged_not_a_500(
    payfip_in_process, client, caplog, monkeypatch
):
    idop = create_idop(payfip_in_process.base)
    unreachable = mock.Mock(side_effect=requests.ConnectionError("connexion refusée"))
    monkeypatch.setattr("payfip_simulator.services.requests.post", unreachable)

    with caplog.at_level(logging.WARNING, logger="payfip_simulator.services"):
        response = decide(client, idop, "P")

    assert response.status_code == 200
    assert "La notification au site de la commune a échoué" in response.content.decode()
    assert "connexion refusée" in caplog.text
    assert unreachable.call_count == 1
    payment = SimulatedPayment.objects.get(idop=idop)
    assert (payment.resultrans, payment.notified_at) == ("P", None)


def test_a_urlnotif_answering_an_error_is_not_counted_as_notified(payfip_in_process, client):
    idop = create_idop(
        payfip_in_process.base, url_notification=payfip_in_process.base + "/introuvable/"
    )

    decide(client, idop, "P")

    assert [call.status for call in payfip_in_process.to("/introuvable/")] == [404]
    assert SimulatedPayment.objects.get(idop=idop).notified_at is None


def test_the_result_page_sends_the_payer_back_by_post_with_the_idop(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)

    response = decide(client, idop, "P")

    page = response.content.decode()
    form = page[page.index('<form method="post" action="' + payfip_in_process.base + RETURN_PATH) :]
    form = form[: form.index("</form>")]
    assert f'<input type="hidden" name="idop" value="{idop}">' in form
    assert "Retourner sur le site de la commune" in form
    assert f"form-action 'self' {payfip_in_process.base}" in response["Content-Security-Policy"]


def test_a_second_decision_changes_nothing(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)
    decide(client, idop, "R")
    before = SimulatedPayment.objects.get(idop=idop)

    response = decide(client, idop, "P")

    after = SimulatedPayment.objects.get(idop=idop)
    assert (after.resultrans, after.numauto, after.decided_at) == ("R", "", before.decided_at)
    assert len(payfip_in_process.to(NOTIFICATION_PATH)) == 1
    page = response.content.decode()
    assert "déjà terminée" in page
    assert "Paiement refusé" in page


def test_a_decided_idop_shows_its_result_instead_of_the_buttons(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)
    decide(client, idop, "P")

    page = open_page(client, idop).content.decode()

    assert BANNER in page
    assert "Paiement accepté" in page
    assert 'value="P"' not in page


def test_an_idop_left_more_than_15_minutes_can_no_longer_be_paid(payfip_in_process, client):
    with time_machine.travel(timezone.now() - timedelta(minutes=16), tick=False):
        idop = create_idop(payfip_in_process.base)

    page = open_page(client, idop).content.decode()
    response = decide(client, idop, "P")

    assert "Délai de paiement dépassé" in page and 'value="P"' not in page
    assert "déjà terminée ou expirée" in response.content.decode()
    assert SimulatedPayment.objects.get(idop=idop).resultrans == ""


def test_an_unknown_idop_is_a_404_under_the_banner(payfip_in_process, client):
    response = client.get(page_path("inconnu"))

    assert response.status_code == 404
    assert BANNER in response.content.decode()
    assert "Opération inconnue ou expirée" in response.content.decode()
    assert client.get("/simulateur-payfip/paiement/").status_code == 404


def test_an_unknown_decision_changes_nothing(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)

    response = decide(client, idop, "V")

    assert SimulatedPayment.objects.get(idop=idop).resultrans == ""
    assert "Choisissez" in response.content.decode()


def test_the_pages_follow_the_content_security_policy(payfip_in_process, client):
    idop = create_idop(payfip_in_process.base)

    for response in (open_page(client, idop), decide(client, idop, "P")):
        page = response.content.decode()
        assert "<script" not in page
        assert "style=" not in page and "<style" not in page
        assert "script-src 'self'" in response["Content-Security-Policy"]
