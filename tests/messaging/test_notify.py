from io import StringIO
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.management import call_command

from messaging.models import EmailStatus, Kind, Message, OutgoingEmail
from messaging.services import Attachment, notify, send_pending_emails
from tests.portail.locks import lock_held_elsewhere

pytestmark = pytest.mark.django_db


def test_notify_puts_the_message_in_the_inbox_and_queues_its_email(family, parent, settings):
    settings.PORTAL_URL = "https://famille.example.fr/"
    message = notify(
        family,
        Kind.INVOICE,
        "Facture de novembre",
        "Votre facture est disponible.",
        link="/factures/",
        link_label="Voir la facture",
    )
    assert Message.objects.get() == message
    assert message.is_unread
    emails = OutgoingEmail.objects.all()
    assert [e.to for e in emails] == [parent.email]
    email = emails[0]
    assert email.status == EmailStatus.PENDING
    assert "Facture de novembre" in email.subject
    assert "https://famille.example.fr/factures/" in email.body_text
    assert 'href="https://famille.example.fr/factures/"' in email.body_html
    # Nothing left by SMTP during the request: the cron command sends it.
    assert mail.outbox == []


def test_every_guardian_and_the_family_address_get_one_email_each(family, parent, second_guardian):
    family.email = parent.email.upper()  # the same address as a login: sent once
    family.save()
    notify(family, Kind.INFO, "Info", "Texte")
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == sorted(
        [parent.email, second_guardian.email]
    )


def test_a_family_that_opted_out_gets_the_inbox_message_only(family, parent):
    family.email_notifications = False
    family.save()
    notify(family, Kind.INFO, "Info", "Texte")
    assert Message.objects.count() == 1
    assert OutgoingEmail.objects.count() == 0


def test_attachments_are_stored_privately(family, parent, settings, tmp_path):
    message = notify(
        family,
        Kind.INVOICE,
        "Facture",
        "Ci-joint",
        attachments=[Attachment("facture.pdf", b"%PDF-1.7 test")],
    )
    attachment = message.attachments.get()
    assert attachment.name == "facture.pdf"
    assert (tmp_path / "private" / attachment.file.name).read_bytes() == b"%PDF-1.7 test"
    assert not attachment.file.name.startswith(str(settings.MEDIA_ROOT))


def test_the_cron_command_sends_each_email_once(family, parent):
    notify(family, Kind.INFO, "Bienvenue", "Texte")
    out = StringIO()
    call_command("send_pending_emails", stdout=out)
    assert "1 envoyé" in out.getvalue()
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [parent.email]
    assert sent.alternatives[0][1] == "text/html"
    call_command("send_pending_emails", stdout=StringIO())
    assert len(mail.outbox) == 1  # a second run changes nothing
    assert OutgoingEmail.objects.get().status == EmailStatus.SENT


def test_dry_run_sends_nothing(family, parent):
    notify(family, Kind.INFO, "Bienvenue", "Texte")
    out = StringIO()
    call_command("send_pending_emails", "--dry-run", stdout=out)
    assert "1 e-mail(s) à envoyer" in out.getvalue()
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().status == EmailStatus.PENDING


class FlakySMTP:
    """An e-mail backend whose server is down for the first `failures` sends."""

    failures = 0

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        if FlakySMTP.failures > 0:
            FlakySMTP.failures -= 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        mail.outbox.extend(messages)
        return len(messages)


def test_an_smtp_failure_is_retried_later_and_the_message_is_never_lost(
    family, parent, settings, time_machine
):
    settings.EMAIL_BACKEND = "tests.messaging.test_notify.FlakySMTP"
    FlakySMTP.failures = 1
    time_machine.move_to("2026-11-02 08:00:00+01:00", tick=False)
    notify(family, Kind.INFO, "Bienvenue", "Texte")
    report = send_pending_emails()
    assert (report.sent, report.retried) == (0, 1)
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.PENDING
    assert "SMTPServerDisconnected" in email.last_error
    assert Message.objects.count() == 1
    # Not retried before its delay…
    assert send_pending_emails().sent == 0
    # …and sent once it is due.
    time_machine.move_to("2026-11-02 08:02:00+01:00", tick=False)
    assert send_pending_emails().sent == 1
    assert len(mail.outbox) == 1


def test_an_email_is_abandoned_after_its_last_attempt(family, parent, settings, time_machine):
    settings.EMAIL_BACKEND = "tests.messaging.test_notify.FlakySMTP"
    FlakySMTP.failures = 100
    time_machine.move_to("2026-11-02 08:00:00+01:00", tick=False)
    notify(family, Kind.INFO, "Bienvenue", "Texte")
    for day in range(2, 2 + OutgoingEmail.MAX_ATTEMPTS):
        time_machine.move_to(f"2026-11-{day:02d} 09:00:00+01:00", tick=False)
        send_pending_emails()
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.FAILED
    assert email.attempts == OutgoingEmail.MAX_ATTEMPTS
    FlakySMTP.failures = 0


def test_a_second_server_skips_while_the_first_holds_the_lock(family, parent):
    notify(family, Kind.INFO, "Bienvenue", "Texte")
    out = StringIO()
    with lock_held_elsewhere("messaging.send_pending_emails"):
        call_command("send_pending_emails", stdout=out)
    assert "Un autre envoi est en cours" in out.getvalue()
    assert mail.outbox == []
    assert OutgoingEmail.objects.get().status == EmailStatus.PENDING
