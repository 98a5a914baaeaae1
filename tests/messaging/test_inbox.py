from datetime import timedelta

import pytest
from django.utils import timezone

from messaging.models import Kind, Message
from messaging.services import Attachment, notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(family):
    now = timezone.now()
    old = notify(family, Kind.INFO, "Rentrée scolaire", "Les inscriptions sont ouvertes.")
    Message.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=3), read_at=now)
    new = notify(
        family,
        Kind.INVOICE,
        "Facture de novembre",
        "Votre facture est disponible.",
        link="/factures/",
        link_label="Voir mes factures",
        attachments=[Attachment("facture.pdf", b"%PDF-1.7 facture")],
    )
    return old, new


def test_messages_are_listed_newest_first_with_unread_ones_marked(parent_client, inbox):
    page = parent_client.get("/messages/").content.decode()
    assert page.index("Facture de novembre") < page.index("Rentrée scolaire")
    assert page.count("Non lu</span>") == 1


def test_the_tab_counts_unread_messages(parent_client, inbox):
    page = parent_client.get("/").content.decode()
    assert '1<span class="visually-hidden"> non lu(s)</span>' in page


def test_opening_a_message_marks_it_read_and_shows_its_link_and_attachment(parent_client, inbox):
    _, new = inbox
    page = parent_client.get(f"/messages/{new.pk}/").content.decode()
    assert "Votre facture est disponible." in page
    assert 'href="/factures/"' in page
    assert "Voir mes factures" in page
    assert "facture.pdf" in page
    new.refresh_from_db()
    assert new.read_at is not None
    assert "non lu(s)" not in parent_client.get("/").content.decode()


def test_an_attachment_downloads_for_its_family(parent_client, inbox):
    _, new = inbox
    attachment = new.attachments.get()
    response = parent_client.get(f"/messages/{new.pk}/pieces/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 facture"
    assert "attachment" in response["Content-Disposition"]


def test_another_familys_message_and_attachment_are_404(client, other_parent, inbox):
    _, new = inbox
    attachment = new.attachments.get()
    client.force_login(other_parent)
    assert client.get(f"/messages/{new.pk}/").status_code == 404
    assert client.get(f"/messages/{new.pk}/pieces/{attachment.pk}/").status_code == 404
    new.refresh_from_db()
    assert new.read_at is None
    assert "Facture de novembre" not in client.get("/messages/").content.decode()


def test_an_attachment_of_another_message_is_404(parent_client, family, inbox):
    old, new = inbox
    attachment = new.attachments.get()
    assert parent_client.get(f"/messages/{old.pk}/pieces/{attachment.pk}/").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, inbox):
    _, new = inbox
    for url in ("/messages/", f"/messages/{new.pk}/"):
        assert client.get(url).url.startswith("/connexion/")


def test_mark_all_read_is_a_post(parent_client, inbox):
    assert parent_client.get("/messages/tout-lu/").status_code == 405
    response = parent_client.post("/messages/tout-lu/", follow=True)
    assert "1 message(s) marqué(s) comme lu(s)" in response.content.decode()
    assert not Message.objects.unread().exists()


def test_the_inbox_runs_a_constant_number_of_queries(
    parent_client, family, django_assert_max_num_queries
):
    for i in range(45):
        notify(
            family,
            Kind.INFO,
            f"Message {i}",
            "Texte",
            attachments=[Attachment(f"piece-{i}.pdf", b"%PDF")] if i % 3 == 0 else (),
        )
    parent_client.get("/")  # the session's activity stamp is written once
    # session, user, unread count for the tab, page count, messages, attachments
    with django_assert_max_num_queries(6):
        response = parent_client.get("/messages/")
    assert response.content.decode().count('class="list-group-item') == 20
    with django_assert_max_num_queries(6):
        parent_client.get("/messages/?page=3")


def test_staff_send_a_message_to_a_family_from_the_admin(agent_client, family, parent):
    response = agent_client.post(
        "/admin/messaging/message/add/",
        {
            "recipient": family.pk,
            "kind": "info",
            "sender": "Enfance Jeunesse",
            "subject": "Sortie au musée",
            "body": "Prévoir un pique-nique.",
            "link_url": "",
            "link_label": "",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    message = Message.objects.get()
    assert message.subject == "Sortie au musée"
    assert message.emails.get().to == parent.email
