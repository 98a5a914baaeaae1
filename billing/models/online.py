"""An attempt to pay an invoice online through PayFiP, from the idOp to its outcome."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .invoices import Invoice
from .payments import Payment
from .regies import Regie


class TransactionState(models.TextChoices):
    PENDING = "pending", _("En cours")
    PAID = "paid", _("Payée")
    REFUSED = "refused", _("Refusée")
    ABANDONED = "abandoned", _("Abandonnée")
    EXPIRED = "expired", _("Expirée")
    REJECTED = "rejected", _("Rejetée (incohérente)")


FINISHED = [s for s in TransactionState.values if s != TransactionState.PENDING]


class OnlineTransaction(models.Model):
    """What the portal asked PayFiP and what PayFiP answered.

    The amount is what the invoice still asked for when the parent clicked; nothing the
    browser sends is used. The outcome is only ever read from PayFiP's own answer to
    `recupererDetailPaiementSecurise`, and a paid transaction gives exactly one Payment.
    """

    token = models.UUIDField(_("jeton"), default=uuid.uuid4, unique=True, editable=False)
    regie = models.ForeignKey(
        Regie, verbose_name=_("régie"), on_delete=models.PROTECT, related_name="+"
    )
    family = models.ForeignKey(
        "accounts.Family",
        verbose_name=_("famille"),
        on_delete=models.PROTECT,
        related_name="online_transactions",
    )
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("facture"),
        on_delete=models.PROTECT,
        related_name="online_transactions",
    )
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    email = models.EmailField(_("e-mail donné à PayFiP"))
    numcli = models.CharField(_("n° client PayFiP"), max_length=6)
    saisie = models.CharField(_("mode PayFiP"), max_length=1)
    exer = models.CharField(_("exercice"), max_length=4)
    refdet = models.CharField(_("référence (refdet)"), max_length=30)
    idop = models.CharField(_("idOp"), max_length=64, null=True, blank=True, unique=True)
    state = models.CharField(
        _("état"),
        max_length=10,
        choices=TransactionState.choices,
        default=TransactionState.PENDING,
    )
    resultrans = models.CharField(_("résultat PayFiP"), max_length=2, blank=True)
    numauto = models.CharField(_("n° d'autorisation"), max_length=20, blank=True)
    paid_at = models.DateTimeField(_("payée le (PayFiP)"), null=True, blank=True)
    detail = models.JSONField(_("dernière réponse de PayFiP"), default=dict, blank=True)
    error = models.CharField(_("anomalie"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("commencée le"), auto_now_add=True)
    checked_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminée le"), null=True, blank=True)
    payment = models.OneToOneField(
        Payment,
        verbose_name=_("paiement enregistré"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="online_transaction",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commencée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("paiement en ligne")
        verbose_name_plural = _("paiements en ligne")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="online_transaction_positive"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="paid") | models.Q(payment__isnull=False),
                name="online_transaction_paid_has_payment",
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(state="pending"),
                name="online_transaction_pending_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.refdet} — {self.amount} € ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state == TransactionState.PENDING
