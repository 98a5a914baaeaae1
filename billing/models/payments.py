"""Payments received by a régie, and how they settle invoices."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .invoices import Invoice
from .regies import Regie


class Method(models.TextChoices):
    ONLINE = "online", _("Paiement en ligne (PayFiP)")
    CHEQUE = "cheque", _("Chèque")
    CASH = "cash", _("Espèces")
    CESU = "cesu", _("CESU")
    DIRECT_DEBIT = "direct_debit", _("Prélèvement")


class PaymentQuerySet(models.QuerySet):
    def for_family(self, family_id: int | None) -> "PaymentQuerySet":
        return self.filter(family_id=family_id)

    def standing(self) -> "PaymentQuerySet":
        """The payments not cancelled: only they settle invoices or make a credit."""
        return self.filter(cancelled_at__isnull=True)


class Payment(models.Model):
    regie = models.ForeignKey(
        Regie, verbose_name=_("régie"), on_delete=models.PROTECT, related_name="payments"
    )
    family = models.ForeignKey(
        "accounts.Family",
        verbose_name=_("famille"),
        on_delete=models.PROTECT,
        related_name="payments",
    )
    method = models.CharField(_("mode de paiement"), max_length=14, choices=Method.choices)
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    received_at = models.DateTimeField(_("reçu le"), default=timezone.now)
    reference = models.CharField(
        _("référence"),
        max_length=100,
        blank=True,
        help_text=_("N° de chèque et banque, référence de transaction…"),
    )
    bank = models.CharField(_("banque"), max_length=100, blank=True)
    transaction_id = models.CharField(
        _("n° de transaction"),
        max_length=64,
        blank=True,
        help_text=_("Paiement en ligne : l'identifiant PayFiP (idOp)."),
    )
    authorisation_number = models.CharField(_("n° d'autorisation"), max_length=20, blank=True)
    receipt_number = models.CharField(_("n° de reçu"), max_length=20, unique=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enregistré par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # A bounced cheque or a mistake at the desk: the payment stays, as the receipt the
    # family holds says, and its cancellation is a debit of its own on the statement.
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("annulé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancel_reason = models.CharField(_("motif de l'annulation"), max_length=200, blank=True)

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("paiement")
        verbose_name_plural = _("paiements")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=models.Q(cancelled_at__isnull=True) | ~models.Q(cancel_reason=""),
                name="payment_cancelled_with_reason",
            ),
            # A transaction is recorded once, whatever PayFiP sends and how often.
            models.UniqueConstraint(
                fields=["transaction_id"],
                condition=~models.Q(transaction_id=""),
                name="payment_transaction_once",
            ),
        ]

    def __str__(self) -> str:
        cancelled = " (annulé)" if self.is_cancelled else ""
        return f"{self.receipt_number} — {self.amount} €{cancelled}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class AllocationQuerySet(models.QuerySet):
    def standing(self) -> "AllocationQuerySet":
        """The shares of payments not cancelled: what the invoices are really paid."""
        return self.filter(payment__cancelled_at__isnull=True)


class Allocation(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="allocations")
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("montant affecté"), max_digits=10, decimal_places=2)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive"),
            models.UniqueConstraint(fields=["payment", "invoice"], name="allocation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.payment} → {self.invoice}"
