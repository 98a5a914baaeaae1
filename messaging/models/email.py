"""E-mails queued in the database and sent by `send_pending_emails` (cron)."""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .inbox import Message


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Abandonné")


class OutgoingEmailQuerySet(models.QuerySet):
    def due(self, at) -> "OutgoingEmailQuerySet":
        return self.filter(status=EmailStatus.PENDING, next_attempt_at__lte=at)


class OutgoingEmail(models.Model):
    """An e-mail queued in the database, sent by `send_pending_emails` (cron).

    One that `contains_secret` (a one-time link) never shows its body in the admin, and
    loses its bodies in the transaction that marks it sent: only to, subject and state
    remain, for support.
    """

    HIDDEN_CONTENT = _("Contenu masqué : ce courriel contient un lien personnel à usage unique.")

    MAX_ATTEMPTS = 8

    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="emails"
    )
    to = models.EmailField(_("destinataire"))
    subject = models.CharField(_("objet"), max_length=250)
    body_text = models.TextField(_("texte"))
    body_html = models.TextField(_("HTML"), blank=True)
    # A one-time link (password reset…) is in the body: no page shows it, and the bodies
    # are cleared once the mail is sent.
    contains_secret = models.BooleanField(_("contient un lien personnel"), default=False)
    status = models.CharField(
        _("état"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    objects = OutgoingEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail sortant")
        verbose_name_plural = _("e-mails sortants")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="email_pending_idx",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.to} — {self.subject}"

    def mark_sent(self, at) -> list[str]:
        """The mail left: a one-time link in it is forgotten. Returns the bodies it cleared."""
        self.status = EmailStatus.SENT
        self.sent_at = at
        self.last_error = ""
        if not self.contains_secret:
            return []
        self.body_text = ""
        self.body_html = ""
        return ["body_text", "body_html"]

    def retry_delay(self) -> timedelta:
        """1, 2, 4, 8… minutes between attempts, at most a few hours in all."""
        return timedelta(minutes=2 ** max(self.attempts - 1, 0))
