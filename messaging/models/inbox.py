"""Family inbox and the e-mails that accompany its messages.

Messaging depends on accounts only (messaging ← accounts): a message goes to a family
(accounts.Family, a normal foreign key), which provides `notification_emails()`.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage


class Kind(models.TextChoices):
    INFO = "info", _("Information")
    CHANGE_REQUEST = "change_request", _("Demande de modification")
    INVOICE = "invoice", _("Facture")
    PAYMENT = "payment", _("Paiement")
    WAITLIST = "waitlist", _("Liste d'attente")
    CANCELLATION = "cancellation", _("Annulation")
    REMINDER = "reminder", _("Rappel")
    REPLY = "reply", _("Réponse de la mairie")


class MessageQuerySet(models.QuerySet):
    def for_recipient(self, recipient_id: int | None) -> "MessageQuerySet":
        return self.filter(recipient_id=recipient_id)

    def unread(self) -> "MessageQuerySet":
        return self.filter(read_at__isnull=True)


class Message(models.Model):
    recipient = models.ForeignKey(
        "accounts.Family",
        verbose_name=_("famille"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.INFO)
    sender = models.CharField(_("expéditeur"), max_length=100, default="La mairie")
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    link_url = models.CharField(_("lien"), max_length=500, blank=True)
    link_label = models.CharField(_("texte du lien"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("lu le"), null=True, blank=True)
    broadcast = models.ForeignKey(
        "messaging.Broadcast",
        verbose_name=_("message groupé"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="messages",
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "-created_at"], name="message_inbox_idx")]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def link_is_external(self) -> bool:
        return self.link_url.startswith(("http://", "https://"))


def attachment_path(instance, filename: str) -> str:
    return f"messages/{timezone.now():%Y/%m}/{filename}"


class MessageAttachment(models.Model):
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("message")
    )
    file = models.FileField(_("fichier"), upload_to=attachment_path, storage=private_storage)
    name = models.CharField(_("nom"), max_length=200)
    content_type = models.CharField(_("type de contenu"), max_length=100)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")

    def __str__(self) -> str:
        return self.name
