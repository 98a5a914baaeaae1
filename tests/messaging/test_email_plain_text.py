"""Subjects and text parts of e-mails are plain text: an apostrophe, an ampersand, French
quotes or angle brackets arrive as typed. Only the HTML part is escaped."""

import pytest
from django.core import mail

from accounts.models import User
from messaging.broadcasts import send_broadcast
from messaging.contact import start_thread
from messaging.models import Kind, OutgoingEmail
from messaging.services import notify, send_pending_emails

pytestmark = pytest.mark.django_db

TRICKY = "Fermeture de l'accueil & de la cantine « jeudi » <3>"
ESCAPED = ("&#x27;", "&amp;", "&lt;", "&gt;", "&quot;")
COMMUNE = "Mairie de L'Haÿ & Cie"


@pytest.fixture(autouse=True)
def _commune(settings):
    settings.COMMUNE_NAME = COMMUNE
    settings.PORTAL_URL = "https://famille.example.fr/"


def assert_plain(text: str) -> None:
    for entity in ESCAPED:
        assert entity not in text


def test_a_notice_subject_and_text_are_plain_and_its_html_escaped(family, parent):
    notify(family, Kind.INFO, TRICKY, f"Bonjour, {TRICKY}.", sender="Enfance & Jeunesse")
    email = OutgoingEmail.objects.get()
    assert email.subject == f"{COMMUNE} — {TRICKY}"
    assert f"Bonjour, {TRICKY}." in email.body_text
    assert f"Enfance & Jeunesse — {COMMUNE}" in email.body_text
    assert_plain(email.body_text)
    assert "l&#x27;accueil &amp; de la cantine « jeudi » &lt;3&gt;" in email.body_html
    assert "<3>" not in email.body_html


def test_the_sent_mail_carries_the_subject_as_typed(family, parent):
    notify(family, Kind.INFO, TRICKY, TRICKY)
    send_pending_emails()
    assert mail.outbox[0].subject == f"{COMMUNE} — {TRICKY}"
    assert TRICKY in mail.outbox[0].body


def test_a_broadcast_subject_and_text_are_plain(family, parent, agent):
    send_broadcast(
        subject=TRICKY,
        body=f"La cantine & l'accueil : {TRICKY}",
        audience_kind="all",
        audience_value="",
        sender="Enfance Jeunesse",
        link_url="/infos/?a=1&b=2",
        link_label="L'info « complète »",
        by=agent,
    )
    email = OutgoingEmail.objects.get()
    assert email.subject == f"{COMMUNE} — {TRICKY}"
    assert f"La cantine & l'accueil : {TRICKY}" in email.body_text
    assert "L'info « complète » : https://famille.example.fr/infos/?a=1&b=2" in email.body_text
    assert_plain(email.body_text)
    assert 'href="https://famille.example.fr/infos/?a=1&amp;b=2"' in email.body_html


def test_the_services_notice_of_a_contact_message_is_plain(family, parent, enfance):
    start_thread(
        family=family, service=enfance, subject=TRICKY, body="Texte", files=[], author=parent
    )
    email = OutgoingEmail.objects.get(to=enfance.email)
    assert email.subject == f"{COMMUNE} — {enfance.name} : une famille a écrit ({TRICKY})"
    assert f"Objet : {TRICKY}" in email.body_text
    assert_plain(email.body_text)
    assert "l&#x27;accueil &amp;" in email.body_html


def test_a_reset_mail_is_plain_text(client, family):
    # An identifier made by staff may hold an apostrophe (the form's validator is not run).
    user = User(username="o'brien", family=family, email="obrien@example.org")
    user.set_password("Bonjour-2026")
    user.save()
    client.post("/connexion/mot-de-passe-oublie/", {"email": "obrien@example.org"})
    email = OutgoingEmail.objects.get()
    assert "« o'brien »" in email.body_text
    assert_plain(email.body_text)
    assert_plain(email.subject)
    assert "«&nbsp;o&#x27;brien&nbsp;»" in email.body_html
