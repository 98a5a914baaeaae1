"""« Nous contacter », the parent's side: write to a service, and the list of exchanges."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from messaging.contact import reply_as_staff, start_thread
from messaging.models import OutgoingEmail, PostAttachment, Service, Thread, ThreadPost
from tests.helpers import page_text as seen
from tests.messaging.files import pdf, pdf_bytes, png, renamed_executable

pytestmark = pytest.mark.django_db


def new_message(service, /, **fields) -> dict:
    return {
        "service": service.pk,
        "subject": "Sortie du mercredi",
        "body": "Faut-il prévoir un pique-nique ?",
        **fields,
    }


def test_a_parent_writes_to_a_service_with_a_pdf_and_lands_on_the_thread(
    parent_client, family, enfance, settings
):
    settings.PORTAL_URL = "https://famille.example.fr/"
    response = parent_client.post(
        "/contact/", new_message(enfance, attachments=[pdf("ordonnance.pdf")]), follow=True
    )

    thread = Thread.objects.get()
    assert response.redirect_chain == [(f"/contact/{thread.pk}/", 302)]
    page = seen(response)
    assert "Votre message a été envoyé au service Enfance Jeunesse." in page
    assert "Faut-il prévoir un pique-nique ?" in page
    assert "ordonnance.pdf" in page
    assert (thread.family, thread.service, thread.subject) == (
        family,
        enfance,
        "Sortie du mercredi",
    )
    assert thread.awaiting_staff
    post = thread.posts.get()
    assert not post.from_staff
    attachment = post.attachments.get()
    assert (attachment.name, attachment.content_type) == ("ordonnance.pdf", "application/pdf")
    with attachment.file.open("rb") as stored:
        assert stored.read() == pdf_bytes()

    email = OutgoingEmail.objects.get()
    assert email.message is None
    assert email.to == "enfance@mairie.example.fr"
    assert "Sortie du mercredi" in email.subject
    link = f"https://famille.example.fr/admin/messaging/thread/{thread.pk}/change/"
    assert link in email.body_text
    assert f'href="{link}"' in email.body_html
    # Only a notice: what the family wrote stays in the portal.
    assert "pique-nique" not in email.body_text + email.body_html
    assert "MARTIN" not in email.body_text + email.body_html


def test_a_service_without_an_address_is_not_emailed(parent_client, enfance):
    enfance.email = ""
    enfance.save()
    parent_client.post("/contact/", new_message(enfance))
    assert Thread.objects.count() == 1
    assert not OutgoingEmail.objects.exists()


def test_the_form_offers_only_the_active_services(parent_client, enfance):
    Service.objects.filter(name="Comptabilité").update(active=False)
    page = parent_client.get("/contact/").content.decode()
    assert "Enfance Jeunesse</option>" in page
    assert "Comptabilité</option>" not in page
    assert 'for="id_subject"' in page
    assert "multiple" in page


def test_the_list_shows_the_familys_threads_newest_first_with_answers_marked(
    parent_client, family, parent, other_family, other_parent, enfance, agent
):
    old = start_thread(
        family=family,
        service=enfance,
        subject="Ancienne question",
        body="…",
        files=(),
        author=parent,
    )
    Thread.objects.filter(pk=old.pk).update(last_post_at=timezone.now() - timedelta(days=5))
    answered = start_thread(
        family=family,
        service=enfance,
        subject="Question répondue",
        body="…",
        files=(),
        author=parent,
    )
    reply_as_staff(thread=answered, body="Voici la réponse.", author=agent)
    start_thread(
        family=other_family,
        service=enfance,
        subject="Question des DURAND",
        body="…",
        files=(),
        author=other_parent,
    )

    page = parent_client.get("/contact/").content.decode()

    assert page.index("Question répondue") < page.index("Ancienne question")
    assert page.count("Nouvelle réponse</span>") == 1
    assert "En attente de réponse" in page
    assert "Question des DURAND" not in page
    assert page.count('aria-current="page"') == 1
    assert 'href="/contact/" aria-current="page"' in page


BAD_INPUT = {
    "empty subject": ({"subject": "  "}, "Indiquez l'objet de votre message."),
    "empty body": ({"body": ""}, "Écrivez votre message."),
    "no service": ({"service": ""}, "Choisissez le service à qui vous écrivez."),
    "unknown service": ({"service": 999_999}, "Ce service n'existe pas"),
    "executable": (
        {"attachments": [renamed_executable("virus.pdf")]},
        "Le fichier « virus.pdf » n'est pas un document PDF, JPEG ou PNG valide.",
    ),
    "four files": (
        {"attachments": [pdf("a.pdf"), pdf("b.pdf"), png("c.png"), pdf("d.pdf")]},
        "Vous pouvez joindre au plus 3 fichiers.",
    ),
}


@pytest.mark.parametrize("fields, error", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_in_french_and_nothing_is_saved(parent_client, enfance, fields, error):
    response = parent_client.post("/contact/", new_message(enfance, **fields))
    assert response.status_code == 200
    assert error in seen(response)
    assert not Thread.objects.exists()
    assert not ThreadPost.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_an_inactive_service_is_refused(parent_client, enfance):
    enfance.active = False
    enfance.save()
    response = parent_client.post("/contact/", new_message(enfance))
    assert "Ce service n'existe pas ou ne reçoit plus de messages." in seen(response)
    assert not Thread.objects.exists()


def test_a_file_over_the_size_limit_is_refused(parent_client, enfance, settings):
    settings.UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("scan.pdf", pdf_bytes() + b" " * 200, "application/pdf")
    response = parent_client.post("/contact/", new_message(enfance, attachments=[big]))
    assert "« scan.pdf » dépasse la taille maximale" in seen(response)
    assert not Thread.objects.exists()
    assert not PostAttachment.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client, thread, enfance):
    attachment = PostAttachment.objects.get()
    for url in (
        "/contact/",
        f"/contact/{thread.pk}/",
        f"/contact/{thread.pk}/pieces/{attachment.pk}/",
    ):
        assert client.get(url).url.startswith("/connexion/")
    assert client.post("/contact/", new_message(enfance)).url.startswith("/connexion/")
    assert Thread.objects.count() == 1


def test_a_login_without_family_cannot_write(agent_client, enfance):
    response = agent_client.post("/contact/", new_message(enfance))
    assert response.status_code == 403
    assert "Aucune famille rattachée" in seen(response)
    assert not Thread.objects.exists()


def test_the_list_runs_a_constant_number_of_queries(
    parent_client, family, parent, enfance, agent, django_assert_max_num_queries
):
    for i in range(12):
        thread = start_thread(
            family=family,
            service=enfance,
            subject=f"Question {i}",
            body="…",
            files=(),
            author=parent,
        )
        if i % 2:
            reply_as_staff(thread=thread, body="Réponse", author=agent)
    parent_client.get("/")  # the session's activity stamp is written once
    # session, user, unread count for the tab, thread count, threads, active services
    with django_assert_max_num_queries(6):
        response = parent_client.get("/contact/")
    assert seen(response).count("Nouvelle réponse</span>") == 6
