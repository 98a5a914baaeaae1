import threading

import pytest
from django.core import mail
from django.db import connections

from messaging.models import EmailStatus, Kind, OutgoingEmail
from messaging.services import notify, send_pending_emails


class CountingBackend:
    sent: list[str] = []
    lock = threading.Lock()

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        with CountingBackend.lock:
            CountingBackend.sent.extend(m.to[0] for m in messages)
        return len(messages)


@pytest.mark.django_db(transaction=True)
def test_two_servers_sending_at_once_send_each_email_exactly_once(family, parent, settings):
    settings.EMAIL_BACKEND = "tests.messaging.test_send_concurrency.CountingBackend"
    CountingBackend.sent = []
    for i in range(60):
        notify(family, Kind.INFO, f"Message {i}", "Texte")
    start = threading.Barrier(2)

    def run():
        start.wait()
        try:
            send_pending_emails(batch_size=5)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(CountingBackend.sent) == 60
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 60
    assert mail.outbox == []
