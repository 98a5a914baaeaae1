"""« Nous contacter », a thread seen by the family: read the answer, reply, download."""

import pytest

from messaging.contact import reply_as_staff, start_thread
from messaging.models import Message, OutgoingEmail, PostAttachment, Thread, ThreadPost
from tests.helpers import page_text as seen
from tests.messaging.files import pdf_bytes, png, renamed_executable

pytestmark = pytest.mark.django_db


def test_opening_an_answered_thread_marks_it_and_its_inbox_notice_read(
    parent_client, thread, agent
):
    reply_as_staff(thread=thread, body="Nous avons bien noté l'allergie.", author=agent)
    thread.refresh_from_db()
    assert thread.unread_by_family

    page = parent_client.get(f"/contact/{thread.pk}/").content.decode()

    assert page.index("Léa ne doit plus manger") < page.index("Nous avons bien noté")
    assert "Mairie</span> Enfance Jeunesse" in page
    assert "Votre famille</span> Claire MARTIN" in page
    thread.refresh_from_db()
    assert not thread.unread_by_family
    assert not Message.objects.unread().exists()
    assert "Nouvelle réponse" not in parent_client.get("/contact/").content.decode()


def test_a_family_reply_waits_for_the_town_hall_again_and_tells_the_service(
    client, second_guardian, thread, agent
):
    reply_as_staff(thread=thread, body="Pouvez-vous nous envoyer le PAI ?", author=agent)
    OutgoingEmail.objects.all().delete()
    client.force_login(second_guardian)

    response = client.post(
        f"/contact/{thread.pk}/",
        {"body": "Le voici.", "attachments": [png("pai.png")]},
        follow=True,
    )

    assert "Votre message a été envoyé au service Enfance Jeunesse." in seen(response)
    thread.refresh_from_db()
    assert thread.awaiting_staff
    post = thread.posts.last()
    assert (post.body, post.author, post.from_staff) == ("Le voici.", second_guardian, False)
    assert post.attachments.get().name == "pai.png"
    assert thread.last_post_at == post.created_at
    assert OutgoingEmail.objects.get().to == "enfance@mairie.example.fr"


def test_a_bad_reply_is_refused_and_nothing_is_saved(parent_client, thread):
    response = parent_client.post(
        f"/contact/{thread.pk}/",
        {"body": "Voici", "attachments": [renamed_executable("virus.pdf")]},
    )
    assert "« virus.pdf » n'est pas un document PDF, JPEG ou PNG valide." in (seen(response))
    response = parent_client.post(f"/contact/{thread.pk}/", {})
    assert "Écrivez votre message." in seen(response)
    assert thread.posts.count() == 1
    assert OutgoingEmail.objects.count() == 1  # the first message's notice only


def test_a_closed_thread_takes_no_more_replies(parent_client, thread):
    Thread.objects.filter(pk=thread.pk).update(closed=True)
    page = parent_client.get(f"/contact/{thread.pk}/").content.decode()
    assert "Cet échange est clos." in page
    assert 'name="body"' not in page
    response = parent_client.post(
        f"/contact/{thread.pk}/", {"body": "Encore une chose"}, follow=True
    )
    assert "Cet échange est clos : écrivez un nouveau message." in seen(response)
    assert thread.posts.count() == 1


def test_an_attachment_downloads_for_its_family(parent_client, thread):
    attachment = PostAttachment.objects.get()
    response = parent_client.get(f"/contact/{thread.pk}/pieces/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert 'attachment; filename="certificat.pdf"' in response["Content-Disposition"]


def test_another_familys_thread_reply_and_attachment_are_404(client, other_parent, thread):
    attachment = PostAttachment.objects.get()
    client.force_login(other_parent)
    assert client.get(f"/contact/{thread.pk}/").status_code == 404
    assert client.post(f"/contact/{thread.pk}/", {"body": "Intrus"}).status_code == 404
    assert client.get(f"/contact/{thread.pk}/pieces/{attachment.pk}/").status_code == 404
    assert thread.posts.count() == 1
    assert "Allergie de Léa" not in client.get("/contact/").content.decode()


def test_an_attachment_of_another_thread_is_404(parent_client, family, parent, thread, enfance):
    other = start_thread(
        family=family, service=enfance, subject="Autre", body="…", files=(), author=parent
    )
    attachment = PostAttachment.objects.get()
    assert parent_client.get(f"/contact/{other.pk}/pieces/{attachment.pk}/").status_code == 404


def test_the_thread_page_runs_a_constant_number_of_queries(
    parent_client, family, second_guardian, thread, agent, django_assert_max_num_queries
):
    for i in range(10):
        reply_as_staff(thread=thread, body=f"Réponse {i}", author=agent)
        post = ThreadPost.objects.create(thread=thread, author=second_guardian, body=f"Suite {i}")
        for name in ("a.pdf", "b.pdf"):
            PostAttachment.objects.create(
                post=post, file="contact/x.pdf", name=name, content_type="application/pdf", size=9
            )
    parent_client.get("/")
    # session, user, thread, mark read (thread + inbox notices), posts, attachments, tab count
    with django_assert_max_num_queries(8):
        response = parent_client.get(f"/contact/{thread.pk}/")
    assert seen(response).count("Mairie</span>") == 10
    with django_assert_max_num_queries(6):
        parent_client.get(f"/contact/{thread.pk}/")
