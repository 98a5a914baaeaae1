"""A message sent to a group of families in one action, recorded with its recipients
(the inbox messages it created point back to it)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import audiences


class Broadcast(models.Model):
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    link_url = models.CharField(_("lien"), max_length=500, blank=True)
    link_label = models.CharField(_("texte du lien"), max_length=100, blank=True)
    sender = models.CharField(_("expéditeur"), max_length=100, default="La mairie")
    audience_kind = models.CharField(_("public"), max_length=30, default=audiences.ALL)
    audience_value = models.CharField(_("précision du public"), max_length=100, blank=True)
    audience_label = models.CharField(_("destinataires"), max_length=250, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("envoyé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    recipient_count = models.PositiveIntegerField(_("familles destinataires"), default=0)

    class Meta:
        verbose_name = _("message groupé")
        verbose_name_plural = _("messages groupés")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.subject
