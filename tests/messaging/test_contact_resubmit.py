"""« Nous contacter » sends a message once: back, then « Envoyer » again (or a double click)
lands on the conversation the first submit opened instead of opening a second one."""

import re
import threading
import uuid

import pytest
from django.db import connections
from django.test import Client

from messaging.contact import start_thread_once
from messaging.models import OutgoingEmail, Thread
from tests.helpers import page_text as seen
from tests.messaging.files import pdf

pytestmark = pytest.mark.django_db


def form_token(client) -> str:
    page = client.get("/contact/").content.decode()
    return re.search(r'<input type="hidden" name="jeton" value="([0-9a-f-]{36})"', page)[1]


def message(service, token, **fields) -> dict:
    return {
        "service": service.pk,
        "subject": "Sortie du mercredi",
        "body": "Faut-il prévoir un pique-nique ?",
        "jeton": token,
        **fields,
    }


def test_each_form_carries_its_own_token(parent_client, enfance):
    assert form_token(parent_client) != form_token(parent_client)


def test_sending_the_same_form_twice_opens_one_conversation(parent_client, enfance):
    token = form_token(parent_client)
    first = parent_client.post("/contact/", message(enfance, token, attachments=[pdf()]))
    thread = Thread.objects.get()
    assert first.url == f"/contact/{thread.pk}/"
    again = parent_client.post(
        "/contact/", message(enfance, token, attachments=[pdf()]), follow=True
    )
    assert again.redirect_chain == [(f"/contact/{thread.pk}/", 302)]
    assert "Ce message a déjà été envoyé" in seen(again)
    assert Thread.objects.count() == 1
    assert thread.posts.count() == 1
    assert thread.posts.get().attachments.count() == 1
    assert OutgoingEmail.objects.filter(to=enfance.email).count() == 1


def test_a_new_form_opens_a_new_conversation(parent_client, enfance):
    parent_client.post("/contact/", message(enfance, form_token(parent_client)))
    parent_client.post("/contact/", message(enfance, form_token(parent_client)))
    assert Thread.objects.count() == 2


def test_another_familys_token_opens_their_own_conversation(parent_client, other_parent, enfance):
    token = form_token(parent_client)
    parent_client.post("/contact/", message(enfance, token))
    theirs = Client()
    theirs.force_login(other_parent)
    response = theirs.post("/contact/", message(enfance, token, subject="Autre chose"))
    other = Thread.objects.get(family=other_parent.family)
    assert response.url == f"/contact/{other.pk}/"
    assert Thread.objects.count() == 2


def test_a_refused_form_keeps_its_token(parent_client, enfance):
    token = form_token(parent_client)
    response = parent_client.post("/contact/", message(enfance, token, subject=""))
    assert response.status_code == 200
    assert f'name="jeton" value="{token}"' in response.content.decode()
    assert Thread.objects.count() == 0


def test_a_mangled_token_is_refused_in_french(parent_client, enfance):
    response = parent_client.post("/contact/", message(enfance, "pas-un-jeton"))
    assert response.status_code == 200
    assert "Ce formulaire a expiré : rechargez la page" in seen(response)
    assert Thread.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_once_open_one_conversation(family, parent, enfance):
    token = uuid.uuid4()
    start = threading.Barrier(2)
    opened = []

    def submit():
        start.wait()
        try:
            opened.append(
                start_thread_once(
                    token=token,
                    family=family,
                    service=enfance,
                    subject="Sortie",
                    body="Texte",
                    files=[],
                    author=parent,
                )
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Thread.objects.count() == 1
    assert sorted(created for _, created in opened) == [False, True]
    assert {thread.pk for thread, _ in opened} == {Thread.objects.get().pk}
    assert OutgoingEmail.objects.filter(to=enfance.email).count() == 1
