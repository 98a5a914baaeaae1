"""The portal's own tables: what no single domain app owns."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CronLock(models.Model):
    """A cron command running somewhere: one row per command name while it runs.

    Taken and released by `portail.lib.locks.cron_lock`; a row whose `expires_at` has passed
    belongs to a process that died, and the next run takes it over.
    """

    name = models.CharField(_("commande"), max_length=100, primary_key=True)
    holder = models.CharField(_("détenteur"), max_length=200)
    acquired_at = models.DateTimeField(_("pris le"))
    expires_at = models.DateTimeField(_("expire le"))

    class Meta:
        verbose_name = _("verrou de tâche planifiée")
        verbose_name_plural = _("verrous de tâches planifiées")

    def __str__(self) -> str:
        return f"{self.name} ({self.holder})"
