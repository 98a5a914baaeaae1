"""Queue an e-mail that belongs to no inbox message (password reset, alerts to a service).

Like every e-mail of the portal it is written to the database and sent by
`send_pending_emails`, so the request that asks for it never waits for a mail server.
A mail carrying a one-time link (a password reset…) is queued with `contains_secret=True`:
no admin page shows its body, and its bodies are cleared once it is sent.
"""

from .models import OutgoingEmail


def queue_email(
    *, to: str, subject: str, text: str, html: str = "", contains_secret: bool = False
) -> OutgoingEmail:
    return OutgoingEmail.objects.create(
        to=to,
        subject=" ".join(subject.split()),
        body_text=text,
        body_html=html,
        contains_secret=contains_secret,
    )
