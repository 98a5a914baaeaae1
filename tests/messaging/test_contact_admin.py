"""« Nous contacter », the town hall's side: threads in the admin, read and answered there."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import User
from messaging.contact import reply_as_staff, start_thread
from messaging.models import Kind, Message, OutgoingEmail, PostAttachment, Service, Thread
from tests.conftest import make_parent
from tests.helpers import page_text as seen
from tests.messaging.files import pdf_bytes

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/messaging/thread/"


def change_form(thread: Thread, **fields) -> dict:
    """What the change page posts back: its fields and the read-only posts' formset."""
    posts = list(thread.posts.all())
    data = {
        "service": thread.service_id,
        "awaiting_staff": "on" if thread.awaiting_staff else "",
        "closed": "on" if thread.closed else "",
        "initial-service": thread.service_id,
        "initial-awaiting_staff": thread.awaiting_staff,
        "initial-closed": thread.closed,
        "reply": "",
        "posts-TOTAL_FORMS": len(posts),
        "posts-INITIAL_FORMS": len(posts),
        "posts-MIN_NUM_FORMS": 0,
        "posts-MAX_NUM_FORMS": 1000,
    }
    for i, post in enumerate(posts):
        data[f"posts-{i}-id"] = post.pk
        data[f"posts-{i}-thread"] = thread.pk
    return {**data, **fields}


def test_staff_answer_from_the_admin_reaches_the_familys_inbox_and_email(
    agent_client, parent_client, family, parent, agent, thread
):
    url = f"{CHANGELIST}{thread.pk}/change/"
    response = agent_client.post(
        url, change_form(thread, reply="Bonjour, c'est noté pour la cantine."), follow=True
    )

    assert "Votre réponse a été envoyée à la famille MARTIN." in seen(response)
    thread.refresh_from_db()
    assert not thread.awaiting_staff
    post = thread.posts.last()
    assert (post.from_staff, post.author, post.body) == (
        True,
        agent,
        "Bonjour, c'est noté pour la cantine.",
    )
    assert thread.last_post_at == post.created_at
    message = Message.objects.get()
    assert (message.recipient, message.kind, message.sender) == (
        family,
        Kind.REPLY,
        "Enfance Jeunesse",
    )
    assert message.subject == "Réponse : Allergie de Léa"
    assert message.body == "Bonjour, c'est noté pour la cantine."
    assert (message.link_url, message.link_label) == (f"/contact/{thread.pk}/", "Voir l'échange")
    assert message.emails.get().to == parent.email

    # The family finds it in its inbox, then reads the thread.
    inbox = seen(parent_client.get("/messages/"))
    assert "Réponse : Allergie de Léa" in inbox
    page = seen(parent_client.get(message.link_url))
    assert "Bonjour, c'est noté pour la cantine." in page
    thread.refresh_from_db()
    assert not thread.unread_by_family


def test_saving_without_an_answer_sends_nothing(agent_client, thread):
    response = agent_client.post(
        f"{CHANGELIST}{thread.pk}/change/", change_form(thread, closed="on", awaiting_staff="")
    )
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.closed
    assert not thread.awaiting_staff
    assert thread.posts.count() == 1
    assert not Message.objects.exists()


def test_the_change_page_shows_the_posts_and_marks_the_thread_read(agent_client, thread, agent):
    reply_as_staff(thread=thread, body="Merci, pouvez-vous préciser ?", author=agent)
    thread.posts.create(body="Oui : pas de fruits à coque.", author=thread.posts.first().author)
    Thread.objects.filter(pk=thread.pk).update(
        awaiting_staff=True, last_post_at=timezone.now(), staff_read_at=None
    )
    attachment = PostAttachment.objects.get()

    page = seen(agent_client.get(f"{CHANGELIST}{thread.pk}/change/"))

    assert page.index("Léa ne doit plus manger") < page.index("Merci, pouvez-vous préciser")
    assert page.index("Merci, pouvez-vous préciser") < page.index("pas de fruits à coque")
    assert "Famille — Claire MARTIN" in page
    assert f'href="{CHANGELIST}{thread.pk}/pieces/{attachment.pk}/"' in page
    # The answer is written under the posts it answers.
    assert page.index("pas de fruits à coque") < page.index('name="reply"')
    thread.refresh_from_db()
    assert thread.staff_read_at is not None
    assert not thread.unread_by_staff


def test_staff_download_an_attachment_from_the_admin(agent_client, thread):
    attachment = PostAttachment.objects.get()
    response = agent_client.get(f"{CHANGELIST}{thread.pk}/pieces/{attachment.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    other = start_thread(
        family=thread.family,
        service=thread.service,
        subject="Autre",
        body="…",
        files=(),
        author=None,
    )
    assert agent_client.get(f"{CHANGELIST}{other.pk}/pieces/{attachment.pk}/").status_code == 404


def test_only_staff_allowed_to_view_threads_download_attachments(client, parent, agent, thread):
    attachment = PostAttachment.objects.get()
    url = f"{CHANGELIST}{thread.pk}/pieces/{attachment.pk}/"
    client.force_login(parent)
    assert client.get(url).url.startswith("/admin/login/")
    agent.groups.clear()
    client.force_login(agent)
    assert client.get(url).status_code == 403


def test_a_staff_agent_opens_the_thread_list_with_its_filters(
    agent_client,
    family,
    parent,
    other_family,
    other_parent,
    enfance,
    agent,
    django_assert_max_num_queries,
):
    compta = Service.objects.get(name="Comptabilité")
    now = timezone.now()
    unread = start_thread(
        family=family, service=enfance, subject="Non lu", body="…", files=(), author=parent
    )
    read = start_thread(
        family=other_family,
        service=compta,
        subject="Lu sans réponse",
        body="…",
        files=(),
        author=other_parent,
    )
    Thread.objects.filter(pk=read.pk).update(staff_read_at=now + timedelta(seconds=1))
    answered = start_thread(
        family=family, service=compta, subject="Répondu", body="…", files=(), author=parent
    )
    reply_as_staff(thread=answered, body="Voilà.", author=agent)
    for i in range(10):
        start_thread(
            family=other_family,
            service=enfance,
            subject=f"Autre {i}",
            body="…",
            files=(),
            author=other_parent,
        )

    def subjects(query: str) -> set[str]:
        response = agent_client.get(CHANGELIST + query)
        assert response.status_code == 200
        return {t.subject for t in response.context["cl"].result_list}

    agent_client.get("/admin/")  # the session's activity stamp is written once
    # session, user, 2 × permissions, services (filter), 2 counts, threads, date hierarchy × 2
    with django_assert_max_num_queries(10):
        assert subjects("") >= {"Non lu", "Lu sans réponse", "Répondu"}
    page = seen(agent_client.get(CHANGELIST))
    assert "Non lus par la mairie" in page
    assert "MARTIN" in page and "DURAND" in page
    assert "Non lu" in subjects("?non_lu=oui")
    assert "Lu sans réponse" not in subjects("?non_lu=oui")
    assert subjects("?non_lu=non") == {"Lu sans réponse", "Répondu"}
    assert "Répondu" not in subjects("?awaiting_staff__exact=1")
    assert subjects("?awaiting_staff__exact=0") == {"Répondu"}
    assert subjects(f"?service__id__exact={compta.pk}") == {"Lu sans réponse", "Répondu"}
    assert subjects("?q=DURAND") == {"Lu sans réponse"} | {f"Autre {i}" for i in range(10)}
    assert unread.unread_by_staff


def test_the_change_page_runs_a_constant_number_of_queries(
    agent_client, thread, agent, second_guardian, django_assert_max_num_queries
):
    for i in range(10):
        reply_as_staff(thread=thread, body=f"Réponse {i}", author=agent)
        post = thread.posts.create(author=second_guardian, body=f"Suite {i}")
        for name in ("a.pdf", "b.pdf"):
            PostAttachment.objects.create(
                post=post, file="contact/x.pdf", name=name, content_type="application/pdf", size=9
            )
    agent_client.get(CHANGELIST)
    with django_assert_max_num_queries(16):
        response = agent_client.get(f"{CHANGELIST}{thread.pk}/change/")
    assert seen(response).count("Famille — Paul MARTIN") == 10


def test_staff_cannot_open_a_thread_themselves(agent_client):
    assert agent_client.get(f"{CHANGELIST}add/").status_code == 403


def test_the_service_list_counts_threads_awaiting_an_answer(agent_client, thread):
    page = seen(agent_client.get("/admin/messaging/service/"))
    assert "Enfance Jeunesse" in page
    assert f'?service__id__exact={thread.service_id}&awaiting_staff__exact=1">1</a>' in page


def test_a_reply_to_a_family_without_email_still_reaches_the_inbox(agent_client, thread):
    family = thread.family
    family.email_notifications = False
    family.save()
    agent_client.post(f"{CHANGELIST}{thread.pk}/change/", change_form(thread, reply="Réponse"))
    assert Message.objects.get().subject == "Réponse : Allergie de Léa"
    assert not OutgoingEmail.objects.filter(message__isnull=False).exists()


def test_a_second_guardian_sees_the_same_thread(client, thread, family):
    guardian = make_parent(family, "paul2")
    client.force_login(guardian)
    assert "Allergie de Léa" in seen(client.get("/contact/"))


def test_staff_who_may_only_view_threads_read_them_without_a_reply_field(client, thread):
    viewer = User.objects.create_user("lecteur", password="x", is_staff=True)
    readers = Group.objects.create(name="Lecteurs")
    readers.permissions.add(
        *Permission.objects.filter(codename__in=["view_thread", "view_threadpost"])
    )
    viewer.groups.add(readers)
    Service.objects.filter(pk=thread.service_id).update(staff_group=readers)
    client.force_login(viewer)
    page = seen(client.get(f"{CHANGELIST}{thread.pk}/change/"))
    assert "Léa ne doit plus manger" in page
    assert 'name="reply"' not in page
    response = client.post(f"{CHANGELIST}{thread.pk}/change/", change_form(thread, reply="Non"))
    assert response.status_code == 403
    assert thread.posts.count() == 1


def test_a_family_post_arriving_while_staff_edit_is_kept_waiting(agent_client, thread, agent):
    reply_as_staff(thread=thread, body="Réponse", author=agent)
    thread.refresh_from_db()
    form = change_form(thread, closed="")  # the page as staff loaded it
    Thread.objects.filter(pk=thread.pk).update(awaiting_staff=True)  # the family wrote again
    agent_client.post(f"{CHANGELIST}{thread.pk}/change/", form)
    thread.refresh_from_db()
    assert thread.awaiting_staff
