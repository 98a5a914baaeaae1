"""Queue an e-mail that belongs to no inbox message (password reset, alerts to a service).

Like every e-mail of the portal it is written to the database and sent by
`send_pending_emails`, so the request that asks for it never waits for a mail server.
"""

from .models import OutgoingEmail


def queue_email(*, to: str, subject: str, text: str, html: str = "") -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        to=to, subject=" ".join(subject.split()), body_text=text, body_html=html
    )
