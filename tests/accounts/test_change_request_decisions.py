"""A change request is decided once (portail.lib.decisions): by whoever decides first."""

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from accounts import change_requests as cr
from accounts.models import ChangeRequest, ChangeStatus
from messaging.models import Message
from tests.accounts.test_change_request_admin import approve_url, ask_phone, reject_url
from tests.helpers import page_text

PARIS = ZoneInfo("Europe/Paris")


def decided_fields(change_request: ChangeRequest) -> tuple:
    return ChangeRequest.objects.filter(pk=change_request.pk).values_list(
        "status", "decided_by", "decided_at", "reason"
    )[0]


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_and_refusing_at_once_decide_once(family, parent, agent, superuser):
    request = ask_phone(family, parent)
    start = threading.Barrier(2)
    results: list[str] = []

    def approve():
        cr.approve(change_request=request, by=agent)

    def reject():
        cr.reject(change_request=request, by=superuser, reason="Numéro injoignable")

    def run(decide, name):
        start.wait()
        try:
            decide()
            results.append(name)
        except cr.NotPending:
            results.append("already decided")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(approve, "approved")),
        threading.Thread(target=run, args=(reject, "rejected")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 2 and results.count("already decided") == 1
    won = next(result for result in results if result != "already decided")
    request.refresh_from_db()
    family.refresh_from_db()
    messages = list(Message.objects.filter(recipient=family))
    assert len(messages) == 1
    if won == "approved":
        assert (request.status, request.decided_by, family.phone) == (
            ChangeStatus.APPROVED,
            agent,
            "07 11 22 33 44",
        )
        assert messages[0].subject == "Demande acceptée : Coordonnées du foyer"
    else:
        assert (request.status, request.decided_by, family.phone) == (
            ChangeStatus.REJECTED,
            superuser,
            "",
        )
        assert messages[0].subject == "Demande refusée : Coordonnées du foyer"


@pytest.mark.django_db
def test_deciding_a_request_already_decided_changes_nothing(family, parent, agent, superuser):
    request = ask_phone(family, parent)
    stale = ChangeRequest.objects.get(pk=request.pk)  # read while still pending
    assert request.decide(by=agent, status=ChangeStatus.APPROVED)
    before = decided_fields(request)

    assert not stale.decide(by=superuser, status=ChangeStatus.REJECTED, reason="Doublon")

    assert decided_fields(request) == before
    # The stale copy now reads the decision on record: who won, not who lost.
    assert (stale.status, stale.decided_by, stale.reason) == (ChangeStatus.APPROVED, agent, "")


@pytest.mark.django_db
def test_the_services_refuse_a_request_already_decided_and_tell_nobody(family, parent, agent):
    request = ask_phone(family, parent)
    cr.reject(change_request=request, by=agent, reason="Numéro injoignable")
    before = decided_fields(request)

    with pytest.raises(cr.NotPending):
        cr.approve(change_request=request, by=agent)
    with pytest.raises(cr.NotPending):
        cr.withdraw(change_request=request, by=parent)

    assert decided_fields(request) == before
    family.refresh_from_db()
    assert family.phone == ""
    assert Message.objects.filter(recipient=family).count() == 1


@pytest.mark.django_db
def test_a_decision_leaves_pending_for_one_of_the_models_states(family, parent, agent):
    request = ask_phone(family, parent)
    for status in (ChangeStatus.PENDING, "accepted"):
        with pytest.raises(ValueError, match="n'est pas une décision"):
            request.decide(by=agent, status=status)
    assert decided_fields(request) == (ChangeStatus.PENDING, None, None, "")


@pytest.mark.django_db
def test_the_clerk_who_comes_second_reads_who_decided_and_when(
    agent_client, family, parent, superuser, time_machine
):
    time_machine.move_to(datetime(2026, 12, 4, 10, 12, tzinfo=PARIS), tick=False)
    superuser.first_name, superuser.last_name = "Claire", "Moreau"
    superuser.save()
    request = ask_phone(family, parent)
    cr.approve(change_request=request, by=superuser)

    for url, data in ((approve_url(request), {}), (reject_url(request), {"reason": "Doublon"})):
        response = agent_client.post(url, data, follow=True)
        assert (
            "Cette demande a déjà été traitée. Elle a été acceptée par Claire Moreau le "
            "4 décembre 2026 à 10h12." in page_text(response)
        )
    assert Message.objects.filter(recipient=family).count() == 1
