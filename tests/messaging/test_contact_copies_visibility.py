"""The copies of a contact thread outside it are read only by whoever reads the thread: a
staff answer's notice in the family's inbox (the answer itself), its e-mail to the family,
and the alert a family post sends the service (its subject is the thread's). A
Comptabilité clerk found Enfance Jeunesse's answers in « Messages » and their subjects in
« E-mails sortants »."""

from importlib import import_module

import pytest
from django.apps import apps
from django.test import Client

from messaging.contact import reply_as_family, reply_as_staff
from messaging.models import Kind, Message, OutgoingEmail, ThreadPost
from messaging.services import notify
from tests.helpers import page_text as seen
from tests.messaging.test_contact_services_visibility import staff_in

pytestmark = pytest.mark.django_db

MESSAGES = "/admin/messaging/message/"
OUTBOX = "/admin/messaging/outgoingemail/"


@pytest.fixture
def compta_clerk() -> Client:
    return staff_in("Comptabilité", username="compta")


@pytest.fixture
def answered(thread, agent, parent):
    """Enfance Jeunesse's thread, answered by the agent, then written to again."""
    reply_as_staff(thread=thread, body="Nous retirons l'arachide des menus de Léa.", author=agent)
    reply_as_family(thread=thread, body="Merci beaucoup.", files=(), author=parent)
    return thread


@pytest.fixture
def invoice_notice(family) -> Message:
    return notify(family, Kind.INVOICE, "Votre facture de novembre", "Elle est disponible.")


def listed(client: Client, url: str, query: str = "") -> set[str]:
    response = client.get(url + query)
    assert response.status_code == 200
    return {row.subject for row in response.context["cl"].result_list}


def test_the_answer_and_the_alerts_are_linked_to_their_posts(answered):
    staff_post, family_post = answered.posts.filter(from_staff=True).get(), answered.posts.last()
    assert staff_post.notice.body == "Nous retirons l'arachide des menus de Léa."
    assert staff_post.notice.emails.exists()
    assert family_post.alert.to == "enfance@mairie.example.fr"
    assert answered.posts.first().alert is not None  # the opening post's alert


def test_a_comptabilite_clerk_reads_neither_the_answer_nor_its_mails(
    compta_clerk, answered, invoice_notice
):
    assert listed(compta_clerk, MESSAGES) == {"Votre facture de novembre"}
    assert listed(compta_clerk, MESSAGES, "?q=arachide") == set()
    notice = Message.objects.get(kind=Kind.REPLY)
    response = compta_clerk.get(f"{MESSAGES}{notice.pk}/change/", follow=True)
    assert "arachide" not in seen(response)

    assert listed(compta_clerk, OUTBOX) == {
        "Mairie de Valmont-sur-Loire — Votre facture de novembre"
    }
    assert listed(compta_clerk, OUTBOX, "?q=Allergie") == set()
    for email in OutgoingEmail.objects.exclude(message=invoice_notice):
        response = compta_clerk.get(f"{OUTBOX}{email.pk}/change/", follow=True)
        assert "Allergie de Léa" not in seen(response)


def test_the_service_staff_read_them_all(agent_client, answered, invoice_notice):
    assert listed(agent_client, MESSAGES) == {
        "Votre facture de novembre",
        "Réponse : Allergie de Léa",
    }
    notice = Message.objects.get(kind=Kind.REPLY)
    assert "arachide" in seen(agent_client.get(f"{MESSAGES}{notice.pk}/change/"))
    # The answer's e-mail to the family, the alerts of the two family posts, the invoice's.
    assert (
        len(agent_client.get(OUTBOX).context["cl"].result_list)
        == 4
        == OutgoingEmail.objects.count()
    )


def test_the_setting_gives_them_back_to_all_staff(settings, compta_clerk, answered, invoice_notice):
    settings.CONTACT_THREADS_ALL_STAFF = True
    assert "Réponse : Allergie de Léa" in listed(compta_clerk, MESSAGES)


def test_the_migration_links_the_copies_made_before_it(answered):
    ThreadPost.objects.update(notice=None, alert=None)
    import_module("messaging.migrations.0008_thread_post_copies").link_existing_copies(apps, None)

    staff_post = answered.posts.get(from_staff=True)
    assert staff_post.notice == Message.objects.get(kind=Kind.REPLY)
    assert [post.alert_id is not None for post in answered.posts.filter(from_staff=False)] == [
        True,
        True,
    ]
