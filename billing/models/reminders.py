"""Payment reminders sent for an unpaid invoice: one row per step, so each is sent once."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .invoices import Invoice


class PaymentReminder(models.Model):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("facture"), on_delete=models.CASCADE, related_name="reminders"
    )
    step = models.PositiveSmallIntegerField(_("jours après l'échéance"))
    sent_at = models.DateTimeField(_("envoyée le"))

    class Meta:
        verbose_name = _("relance")
        verbose_name_plural = _("relances")
        ordering = ["invoice", "step"]
        constraints = [
            models.UniqueConstraint(fields=["invoice", "step"], name="reminder_once_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.invoice} — J+{self.step}"
