"""« E-mails sortants »: staff follow what was sent, read-only, and never read a reset link."""

import importlib
import re

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client

from messaging.models import EmailStatus, OutgoingEmail
from messaging.outbox import queue_email
from messaging.services import send_pending_emails
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/messaging/outgoingemail/"
RESET = "/connexion/mot-de-passe-oublie/"
HIDDEN = "Contenu masqué : ce courriel contient un lien personnel à usage unique."


def change_url(email) -> str:
    return f"{CHANGELIST}{email.pk}/change/"


def reset_secrets(email: OutgoingEmail) -> list[str]:
    """The path of the link and its token, as the queued body holds them."""
    path = re.search(r"/connexion/reinitialiser/[^\s\"<]+", email.body_text).group(0)
    token = path.rstrip("/").rsplit("/", 1)[1]
    return [path, token]


def seen_by(client, email: OutgoingEmail) -> list[str]:
    """Every page of the outbox a clerk may try, as text."""
    urls = [
        CHANGELIST,
        f"{CHANGELIST}?status=pending",
        f"{CHANGELIST}{email.pk}/history/",
        change_url(email),
        f"{CHANGELIST}{email.pk}/delete/",
    ]
    return [page_text(client.get(url)) for url in urls]


def test_a_clerk_who_asks_a_reset_for_the_superuser_cannot_read_the_link(agent_client, superuser):
    assert agent_client.post(RESET, {"email": superuser.email}).status_code == 302
    email = OutgoingEmail.objects.get(to=superuser.email)
    assert email.contains_secret
    secrets = reset_secrets(email)

    for page in seen_by(agent_client, email):
        for secret in secrets:
            assert secret not in page
    detail = page_text(agent_client.get(change_url(email)))
    assert HIDDEN in detail
    assert superuser.email in detail and "nouveau mot de passe" in detail  # to and subject stay

    # A search on the body's words finds nothing, and shows nothing of it.
    for term in (secrets[1], "reinitialiser", secrets[1][:8]):
        found = agent_client.get(CHANGELIST, {"q": term})
        assert found.context["cl"].result_count == 0
        assert secrets[0] not in page_text(found)


def test_a_superuser_cannot_read_the_link_either(superuser_client, superuser, client):
    client.post(RESET, {"email": superuser.email})
    email = OutgoingEmail.objects.get()
    secrets = reset_secrets(email)
    for page in seen_by(superuser_client, email):
        for secret in secrets:
            assert secret not in page
    assert HIDDEN in page_text(superuser_client.get(change_url(email)))


def test_nobody_edits_a_queued_email(agent_client, superuser_client, superuser, client):
    client.post(RESET, {"email": superuser.email})
    email = OutgoingEmail.objects.get()
    before = OutgoingEmail.objects.filter(pk=email.pk).values().get()
    hijack = {
        "to": "voleur@example.org",
        "subject": "x",
        "body_text": "x",
        "body_html": "x",
        "status": "pending",
        "contains_secret": "",
    }
    for browser in (agent_client, superuser_client):
        assert browser.post(change_url(email), hijack).status_code == 403
        assert browser.post(f"{CHANGELIST}add/", hijack).status_code == 403
    assert agent_client.post(f"{CHANGELIST}{email.pk}/delete/", {"post": "yes"}).status_code == 403
    assert OutgoingEmail.objects.filter(pk=email.pk).values().get() == before
    assert OutgoingEmail.objects.count() == 1


def test_the_link_is_sent_to_the_real_recipient_then_forgotten(client, superuser):
    client.post(RESET, {"email": superuser.email})
    secrets = reset_secrets(OutgoingEmail.objects.get())
    send_pending_emails()

    [sent] = mail.outbox
    assert sent.to == [superuser.email]
    assert secrets[0] in sent.body
    assert secrets[0] in sent.alternatives[0][0]
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.SENT
    assert (email.body_text, email.body_html) == ("", "")
    assert email.to == superuser.email and "nouveau mot de passe" in email.subject
    # …and the link still works for its owner.
    form_url = client.get(secrets[0]).url
    done = client.post(
        form_url, {"new_password1": "Nouveau-Depart-7", "new_password2": "Nouveau-Depart-7"}
    )
    assert done.status_code == 302
    superuser.refresh_from_db()
    assert superuser.check_password("Nouveau-Depart-7")


def test_a_failed_secret_mail_keeps_its_body_for_the_next_attempt(client, parent, settings):
    settings.EMAIL_BACKEND = "tests.messaging.test_outbox_admin.FailingBackend"
    client.post(RESET, {"email": parent.email})
    send_pending_emails()
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "/connexion/reinitialiser/" in email.body_text


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("serveur de courrier injoignable")


def test_the_list_and_page_show_what_support_needs(agent_client):
    failed = queue_email(to="claire@example.org", subject="Votre facture", text="Bonjour Claire")
    OutgoingEmail.objects.filter(pk=failed.pk).update(
        status=EmailStatus.FAILED, attempts=8, last_error="SMTPRecipientsRefused: boîte pleine"
    )
    page = page_text(agent_client.get(CHANGELIST))
    for shown in ("claire@example.org", "Votre facture", "Abandonné", "boîte pleine"):
        assert shown in page
    detail = page_text(agent_client.get(change_url(failed)))
    assert "Bonjour Claire" in detail  # a plain notice's text may be read
    assert HIDDEN not in detail
    assert 'name="to"' not in detail  # read-only: no input
    filtered = agent_client.get(CHANGELIST, {"status": "sent"})
    assert filtered.context["cl"].result_count == 0


def test_a_clerk_may_retry_a_failed_email(agent_client):
    failed = queue_email(to="claire@example.org", subject="Votre facture", text="Bonjour")
    OutgoingEmail.objects.filter(pk=failed.pk).update(status=EmailStatus.FAILED, attempts=8)
    response = agent_client.post(
        CHANGELIST, {"action": "retry_now", "_selected_action": [failed.pk]}
    )
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == EmailStatus.PENDING


def test_the_list_does_not_query_per_email(agent_client, django_assert_max_num_queries):
    for n in range(30):
        queue_email(
            to=f"p{n}@example.org", subject=f"Avis {n}", text="x", contains_secret=bool(n % 2)
        )
    with django_assert_max_num_queries(15):
        response = agent_client.get(CHANGELIST)
    assert response.context["cl"].result_count == 30


def test_a_parent_cannot_reach_the_outbox(parent_client):
    assert parent_client.get(CHANGELIST).status_code == 302


def test_only_a_superuser_may_delete_an_email(superuser_client):
    email = queue_email(to="claire@example.org", subject="Avis", text="x")
    response = superuser_client.post(f"{CHANGELIST}{email.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not OutgoingEmail.objects.exists()


@pytest.fixture
def superuser_client(superuser) -> Client:
    browser = Client()
    browser.force_login(superuser)
    return browser


def test_reset_mails_queued_before_the_flag_are_hidden_and_the_sent_ones_forgotten():
    migration = importlib.import_module("messaging.migrations.0005_outbox_secrets")
    link = "Ouvrez https://portail.example/connexion/reinitialiser/Mw/abc-123/"
    sent = OutgoingEmail.objects.create(
        to="a@example.org", subject="Mot de passe", body_text=link, body_html=link, status="sent"
    )
    pending = OutgoingEmail.objects.create(
        to="b@example.org", subject="Mot de passe", body_text=link
    )
    notice = queue_email(to="c@example.org", subject="Votre facture", text="Bonjour")

    migration.read_only_outbox(apps, None)
    migration.read_only_outbox(apps, None)  # replayed: changes nothing more

    sent.refresh_from_db()
    assert sent.contains_secret and (sent.body_text, sent.body_html) == ("", "")
    pending.refresh_from_db()
    assert pending.contains_secret and pending.body_text == link  # still to be sent
    notice.refresh_from_db()
    assert not notice.contains_secret and notice.body_text == "Bonjour"
