"""« Payer en ligne » through the PayFiP simulator, with eopayment's real client.

Each test drives the flow as it happens: the parent's button, the simulator's page
(pay / refuse / abandon), PayFiP's notification and the parent's return in any order,
and the cron's poll. The simulator is reached in process (tests/payfip_http.py).
"""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from billing.models import Method, OnlineTransaction, Payment, TransactionState
from billing.online import check_pending, confirm
from messaging.models import Message
from payfip_simulator.models import SimulatedPayment
from tests.billing.ledger import invoice, payment
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 11, 20, 18, 30))


@pytest.fixture(autouse=True)
def _at_a_fixed_time():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def online_regie(regie):
    regie.payfip_numcli = "123456"
    regie.payfip_saisie = "T"
    regie.save()
    return regie


@pytest.fixture
def october(family, online_regie):
    return invoice(
        family,
        online_regie,
        period=date(2026, 10, 1),
        total="42.50",
        issued=date(2026, 11, 2),
        lines=[("Léa MARTIN", "Repas", 10, "4.25")],
    )


def press_pay(client, invoice_) -> str:
    """The parent's « Payer en ligne »: returns the PayFiP page the browser is sent to."""
    response = client.post(reverse("billing:pay", args=[invoice_.pk]))
    assert response.status_code == 302, page_text(response)
    return response["Location"]


def idop_of(page_url: str) -> str:
    return parse_qs(urlsplit(page_url).query)["idop"][0]


def decide(client, page_url: str, decision: str, *, notify: bool = True):
    data = {"decision": decision}
    if not notify:
        data["skip_notification"] = "on"
    response = client.post(page_url, data)
    assert response.status_code == 302
    return response


def come_back(client, online: OnlineTransaction):
    response = client.post(
        reverse("billing:online_return", args=[online.token]), {"idop": online.idop}
    )
    assert response.status_code == 302
    return client.get(response["Location"])


def notification(client, online: OnlineTransaction):
    return client.post(reverse("billing:online_notify", args=[online.token]), {"idOp": online.idop})


def the_transaction() -> OnlineTransaction:
    return OnlineTransaction.objects.get()


def test_paying_records_one_payment_and_shows_the_receipt(
    payfip_in_process, parent_client, october, django_capture_on_commit_callbacks
):
    page = press_pay(parent_client, october)
    assert page.startswith(payfip_in_process.base + "/simulateur-payfip/paiement/")
    online = the_transaction()
    assert (online.amount, online.refdet, online.idop) == (
        Decimal("42.50"),
        october.number,
        idop_of(page),
    )
    simulated = SimulatedPayment.objects.get(idop=online.idop)
    assert (simulated.montant, simulated.refdet, simulated.numcli) == (
        4250,
        october.number,
        "123456",
    )

    with django_capture_on_commit_callbacks(execute=True):
        decide(parent_client, page, "P")  # the simulator notifies the portal at once
    online.refresh_from_db()
    assert online.state == TransactionState.PAID
    paid = Payment.objects.get()
    assert (paid.method, paid.amount, paid.transaction_id) == (
        Method.ONLINE,
        Decimal("42.50"),
        online.idop,
    )
    simulated.refresh_from_db()
    assert paid.authorisation_number == simulated.numauto != ""
    assert paid.allocations.get().invoice == october

    text = page_text(come_back(parent_client, online))
    assert "Paiement accepté" in text
    assert october.number in text and "42,50" in text
    assert simulated.numauto in text
    assert Payment.objects.count() == 1  # the return after the notification changed nothing

    receipt = Message.objects.filter(recipient=october.family).latest("pk")
    assert receipt.attachments.count() == 1
    home = page_text(parent_client.get("/"))
    assert "Toutes vos factures sont réglées" in home
    assert "Payer en ligne" not in home


def test_notification_twice_and_after_the_return_record_once(
    payfip_in_process, parent_client, october
):
    page = press_pay(parent_client, october)
    decide(parent_client, page, "P", notify=False)
    online = the_transaction()
    assert "Paiement accepté" in page_text(come_back(parent_client, online))
    assert notification(parent_client, online).status_code == 200
    assert notification(parent_client, online).status_code == 200
    assert Payment.objects.count() == 1
    assert parent_client.get(reverse("billing:invoice", args=[october.pk])).context[
        "invoice"
    ].remaining == Decimal("0.00")


def test_refused_then_abandoned_leave_the_invoice_payable(
    payfip_in_process, parent_client, october
):
    decide(parent_client, press_pay(parent_client, october), "R")
    refused = the_transaction()
    assert refused.state == TransactionState.REFUSED
    text = page_text(come_back(parent_client, refused))
    assert "Paiement refusé" in text and "reste à payer" in text

    second = press_pay(parent_client, october)  # a new idOp, not the refused one
    assert idop_of(second) != refused.idop
    decide(parent_client, second, "A")
    abandoned = OnlineTransaction.objects.exclude(pk=refused.pk).get()
    # eopayment waits 2 minutes before believing an abandonment: still pending…
    assert abandoned.state == TransactionState.PENDING and abandoned.resultrans == "A"
    # … but the invoice can be paid again at once, on a new idOp
    third = press_pay(parent_client, october)
    assert idop_of(third) not in {refused.idop, abandoned.idop}
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        check_pending()
    abandoned.refresh_from_db()
    assert abandoned.state == TransactionState.ABANDONED
    assert not Payment.objects.exists()


def test_return_without_notification_then_the_cron_records_it(
    payfip_in_process, parent_client, october
):
    page = press_pay(parent_client, october)
    online = the_transaction()
    # The parent came back before deciding (closed PayFiP's page): nothing known yet.
    text = page_text(come_back(parent_client, online))
    assert "en cours de vérification" in text and "ne payez pas une seconde fois" in text
    decide(parent_client, page, "P", notify=False)  # paid, but PayFiP's call is lost
    online.refresh_from_db()
    assert online.state == TransactionState.PENDING

    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        call_command("check_pending_payments", "--dry-run")
        online.refresh_from_db()
        assert online.state == TransactionState.PENDING  # a dry run asks nothing
        call_command("check_pending_payments")
    online.refresh_from_db()
    assert online.state == TransactionState.PAID
    assert Payment.objects.get().transaction_id == online.idop
    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        call_command("check_pending_payments")  # a second run changes nothing
    assert Payment.objects.count() == 1


def test_an_idop_nobody_used_expires(payfip_in_process, parent_client, october):
    press_pay(parent_client, october)
    online = the_transaction()
    with time_machine.travel(NOW + timedelta(days=2), tick=False):  # PayFiP forgot it: P1
        check_pending()
    online.refresh_from_db()
    assert online.state == TransactionState.EXPIRED
    assert "Paiement expiré" in page_text(
        parent_client.get(reverse("billing:online_outcome", args=[online.token]))
    )


def test_a_pending_idop_waits_for_the_bank(payfip_in_process, parent_client, october):
    press_pay(parent_client, october)
    online = the_transaction()
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):  # P5: in progress
        check_pending()
    online.refresh_from_db()
    assert online.state == TransactionState.PENDING and online.checked_at is not None


def test_an_amount_that_does_not_match_is_rejected_and_logged(
    payfip_in_process, parent_client, october, caplog
):
    page = press_pay(parent_client, october)
    online = the_transaction()
    SimulatedPayment.objects.filter(idop=online.idop).update(montant=100)  # 1,00 € paid
    decide(parent_client, page, "P")
    online.refresh_from_db()
    assert online.state == TransactionState.REJECTED
    assert "montant" in online.error
    assert not Payment.objects.exists()
    assert any("rejeté" in record.getMessage() for record in caplog.records)
    assert "pas pu être enregistré" in page_text(come_back(parent_client, online))


def test_a_second_tab_goes_to_the_same_payfip_page(payfip_in_process, parent_client, october):
    first = press_pay(parent_client, october)
    second = press_pay(parent_client, october)
    assert idop_of(first) == idop_of(second)
    assert OnlineTransaction.objects.count() == 1
    decide(parent_client, first, "P")
    # the second tab's page now says it is over, and nothing is paid twice
    response = parent_client.post(second, {"decision": "P"})
    assert response.status_code == 302
    assert Payment.objects.count() == 1
    # and once paid, the button says so instead of opening PayFiP again
    response = parent_client.post(reverse("billing:pay", args=[october.pk]), follow=True)
    assert "déjà réglée" in page_text(response)


def test_the_amount_is_what_the_invoice_still_asks(payfip_in_process, parent_client, october):
    payment(
        october.family, october.regie, amount="12.50", received=date(2026, 11, 10), settles=october
    )
    response = parent_client.post(reverse("billing:pay", args=[october.pk]), {"amount": "1.00"})
    assert response.status_code == 302
    assert the_transaction().amount == Decimal("30.00")


def test_a_payment_made_at_the_desk_meanwhile_becomes_a_credit(
    payfip_in_process, parent_client, october
):
    page = press_pay(parent_client, october)
    payment(
        october.family, october.regie, amount="42.50", received=date(2026, 11, 20), settles=october
    )
    decide(parent_client, page, "P")
    online = the_transaction()
    assert online.state == TransactionState.PAID
    assert online.payment.allocations.count() == 0  # nothing left to settle: a credit
    assert "en votre faveur" in page_text(parent_client.get("/"))


def test_another_familys_invoice_and_outcome_are_404(
    payfip_in_process, client, other_parent, parent_client, october
):
    press_pay(parent_client, october)
    online = the_transaction()
    client.force_login(other_parent)
    assert client.post(reverse("billing:pay", args=[october.pk])).status_code == 404
    assert client.get(reverse("billing:online_outcome", args=[online.token])).status_code == 404
    assert OnlineTransaction.objects.count() == 1


def test_a_regie_without_payfip_says_how_else_to_pay(payfip_in_process, parent_client, october):
    october.regie.payfip_numcli = ""
    october.regie.save()
    response = parent_client.post(reverse("billing:pay", args=[october.pk]), follow=True)
    assert "ne propose pas le paiement en ligne" in page_text(response)
    assert not OnlineTransaction.objects.exists()


def test_payfip_down_changes_nothing(settings, parent_client, october, caplog):
    settings.PAYFIP_SERVICE_URL = "http://127.0.0.1:9/injoignable"
    settings.PAYFIP_TIMEOUT = 1
    response = parent_client.post(reverse("billing:pay", args=[october.pk]), follow=True)
    assert "momentanément indisponible" in page_text(response)
    assert not OnlineTransaction.objects.exists()


def test_notification_for_another_idop_is_refused(payfip_in_process, parent_client, october):
    press_pay(parent_client, october)
    online = the_transaction()
    response = parent_client.post(
        reverse("billing:online_notify", args=[online.token]), {"idOp": "autre"}
    )
    assert response.status_code == 400
    assert confirm(online).state == TransactionState.PENDING


def test_the_home_page_offers_to_pay_each_invoice(payfip_in_process, parent_client, october):
    text = page_text(parent_client.get("/"))
    assert f"Facture {october.number}" in text and "Payer en ligne" in text
    assert len(mail.outbox) == 0


@pytest.mark.django_db(transaction=True)
def test_notification_and_return_at_the_same_instant_record_once(
    payfip_in_process, parent_client, october
):
    import threading

    from django.db import connection

    decide(parent_client, press_pay(parent_client, october), "P", notify=False)
    online = the_transaction()
    start = threading.Barrier(4)
    errors = []

    def confirm_at_once():
        try:
            start.wait()
            confirm(OnlineTransaction.objects.get(pk=online.pk))
        except Exception as error:  # pragma: no cover — reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm_at_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    online.refresh_from_db()
    assert online.state == TransactionState.PAID
    assert Payment.objects.filter(transaction_id=online.idop).count() == 1
    assert online.invoice.allocations.count() == 1


def test_staff_see_online_payments_and_can_ask_payfip_again(
    payfip_in_process, parent_client, agent_client, october
):
    decide(parent_client, press_pay(parent_client, october), "P", notify=False)
    online = the_transaction()
    changelist = reverse("admin:billing_onlinetransaction_changelist")
    text = page_text(agent_client.get(changelist))
    assert october.number in text and "En cours" in text
    response = agent_client.post(
        changelist, {"action": "check_with_payfip", "_selected_action": [online.pk]}, follow=True
    )
    assert "1 paiement vérifié, 1 terminé" in page_text(response)
    online.refresh_from_db()
    assert online.state == TransactionState.PAID
    assert agent_client.get(reverse("admin:billing_onlinetransaction_add")).status_code == 403


def test_the_statement_and_the_invoice_offer_to_pay(payfip_in_process, parent_client, october):
    button = f'action="{reverse("billing:pay", args=[october.pk])}"'
    statement = page_text(parent_client.get(reverse("billing:statement")))
    assert button in statement and "Payer en ligne" in statement
    detail = page_text(parent_client.get(reverse("billing:invoice", args=[october.pk])))
    assert button in detail


def test_a_payment_at_the_desk_meanwhile_opens_a_new_idop_for_the_rest(
    payfip_in_process, parent_client, october
):
    first = press_pay(parent_client, october)
    payment(
        october.family, october.regie, amount="10.00", received=date(2026, 11, 20), settles=october
    )
    second = press_pay(parent_client, october)
    assert idop_of(second) != idop_of(first)
    assert OnlineTransaction.objects.latest("created_at").amount == Decimal("32.50")


def test_payfip_addresses_with_an_unknown_token_are_404(client):
    token = "00000000-0000-4000-8000-000000000000"
    assert (
        client.post(reverse("billing:online_notify", args=[token]), {"idOp": "x"}).status_code
        == 404
    )
    assert client.post(reverse("billing:online_return", args=[token])).status_code == 404
    assert client.get(reverse("billing:online_return", args=[token])).status_code == 404


def test_anonymous_is_sent_to_login_and_nothing_starts(
    payfip_in_process, client, parent_client, october
):
    response = client.post(reverse("billing:pay", args=[october.pk]))
    assert response.status_code == 302 and response["Location"].startswith("/connexion/")
    assert not OnlineTransaction.objects.exists()
    press_pay(parent_client, october)
    outcome = client.get(reverse("billing:online_outcome", args=[the_transaction().token]))
    assert outcome.status_code == 302 and outcome["Location"].startswith("/connexion/")
