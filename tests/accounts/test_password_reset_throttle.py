"""« Mot de passe oublié » is throttled per e-mail (silently) and per address (429)."""

import threading

import pytest
from django.db import connections
from django.test import Client

from accounts.models import SecurityEvent, SecurityEventKind
from messaging.models import OutgoingEmail

pytestmark = pytest.mark.django_db

URL = "/connexion/mot-de-passe-oublie/"
DONE = "/connexion/mot-de-passe-oublie/envoye/"
ADDRESS = "198.51.100.7"


def ask(client, email):
    return client.post(URL, {"email": email})


@pytest.fixture
def morning(time_machine):
    time_machine.move_to("2026-11-02 09:10:00+01:00", tick=False)
    return time_machine


def test_eight_requests_in_seconds_queue_three_emails(morning, parent):
    client = Client(REMOTE_ADDR=ADDRESS)
    answers = [ask(client, parent.email) for _ in range(8)]
    # Every answer is the same « si un compte existe… » page: nothing tells them apart.
    assert {(a.status_code, a.url) for a in answers} == {(302, DONE)}
    assert OutgoingEmail.objects.filter(to=parent.email).count() == 3
    events = SecurityEvent.objects.filter(kind=SecurityEventKind.PASSWORD_RESET_REQUESTED)
    assert events.count() == 8
    assert set(events.values_list("username", "ip_address")) == {(parent.email, ADDRESS)}
    assert events.filter(detail__contains="aucun e-mail").count() == 5


def test_the_limit_counts_the_email_whatever_its_case_and_address(morning, parent):
    for i, email in enumerate([parent.email, parent.email.upper(), parent.email, parent.email]):
        ask(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"), email)
    assert OutgoingEmail.objects.filter(to=parent.email).count() == 3


def test_another_link_may_be_asked_an_hour_later(morning, parent):
    client = Client(REMOTE_ADDR=ADDRESS)
    for _ in range(4):
        ask(client, parent.email)
    morning.move_to("2026-11-02 10:10:01+01:00", tick=False)
    ask(client, parent.email)
    assert OutgoingEmail.objects.filter(to=parent.email).count() == 4


def test_one_address_asking_for_many_emails_gets_a_429_page(morning, parent):
    client = Client(REMOTE_ADDR=ADDRESS)
    for i in range(10):
        assert ask(client, f"inconnu{i}@example.org").url == DONE
    response = ask(client, parent.email)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Trop de demandes de nouveau mot de passe" in page
    assert "Réessayez à partir de 10h10" in page
    assert not OutgoingEmail.objects.filter(to=parent.email).exists()
    # Refused requests are not counted: the time on the page holds.
    assert SecurityEvent.objects.filter(ip_address=ADDRESS).count() == 10
    # Another address is not concerned.
    assert ask(Client(REMOTE_ADDR="203.0.113.9"), parent.email).url == DONE
    assert OutgoingEmail.objects.filter(to=parent.email).count() == 1


def test_the_address_may_ask_again_after_an_hour(morning, parent):
    client = Client(REMOTE_ADDR=ADDRESS)
    for i in range(10):
        ask(client, f"inconnu{i}@example.org")
    morning.move_to("2026-11-02 10:10:00+01:00", tick=False)
    assert ask(client, parent.email).url == DONE
    assert OutgoingEmail.objects.filter(to=parent.email).count() == 1


def test_a_malformed_email_is_refused_and_not_counted(morning):
    response = ask(Client(REMOTE_ADDR=ADDRESS), "pas-une-adresse")
    assert response.status_code == 200
    assert not SecurityEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_eight_requests_at_once_still_queue_three_emails(parent):
    start = threading.Barrier(8)
    answers = []

    def ask_at_once(i):
        start.wait()
        try:
            answers.append(ask(Client(REMOTE_ADDR=f"203.0.113.{i + 1}"), parent.email))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask_at_once, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [a.status_code for a in answers] == [302] * 8
    assert OutgoingEmail.objects.filter(to=parent.email).count() == 3
