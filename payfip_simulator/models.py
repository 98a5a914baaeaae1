"""The simulator's memory of each payment operation (idOp), as PayFiP keeps it."""

import secrets
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PARIS = ZoneInfo("Europe/Paris")
# PayFiP's payment page accepts an idOp for 15 minutes after its creation…
DECISION_WINDOW = timedelta(minutes=15)
# …and its nightly cleaning forgets an undecided one: after a day it is unknown (P1).
CLEANED_AFTER = timedelta(hours=24)


def new_idop() -> str:
    """An opaque identifier like PayFiP's (a UUID in its text form)."""
    return str(uuid.uuid4())


class Saisie(models.TextChoices):
    TEST = "T", _("test")
    ACTIVATION = "X", _("activation")
    PRODUCTION = "W", _("production")


class Result(models.TextChoices):
    PENDING = "", _("en attente")
    PAID = "P", _("payé par carte")
    REFUSED = "R", _("refusé")
    ABANDONED = "A", _("abandonné")
    PAID_DIRECT_DEBIT = "V", _("payé par prélèvement")
    REFUSED_DIRECT_DEBIT = "Z", _("prélèvement refusé")


# The decisions the simulator's payment page offers.
DECISIONS = (Result.PAID, Result.REFUSED, Result.ABANDONED)


class SimulatedPayment(models.Model):
    idop = models.CharField(_("idOp"), max_length=64, unique=True, default=new_idop)
    numcli = models.CharField(_("numéro client"), max_length=6)
    saisie = models.CharField(_("saisie"), max_length=1, choices=Saisie.choices)
    exer = models.CharField(_("exercice"), max_length=4)
    refdet = models.CharField(_("référence"), max_length=30)
    montant = models.PositiveIntegerField(_("montant (centimes)"))
    mel = models.CharField(_("e-mail"), max_length=80)
    objet = models.CharField(_("objet"), max_length=100, blank=True)
    urlnotif = models.CharField(_("URL de notification"), max_length=250)
    urlredirect = models.CharField(_("URL de retour"), max_length=250)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    resultrans = models.CharField(
        _("résultat"), max_length=1, choices=Result.choices, blank=True, default=Result.PENDING
    )
    numauto = models.CharField(_("numéro d'autorisation"), max_length=6, blank=True)
    dattrans = models.CharField(_("date (JJMMAAAA)"), max_length=8, blank=True)
    heurtrans = models.CharField(_("heure (HHMM)"), max_length=4, blank=True)
    decided_at = models.DateTimeField(_("décidé le"), null=True, blank=True)
    notified_at = models.DateTimeField(_("notifié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("paiement simulé")
        verbose_name_plural = _("paiements simulés")
        indexes = [models.Index(fields=["numcli", "exer", "refdet"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(resultrans__in=[choice.value for choice in Result]),
                name="payfip_sim_resultrans_known",
            ),
            models.CheckConstraint(condition=Q(montant__gt=0), name="payfip_sim_montant_positive"),
            models.CheckConstraint(
                condition=Q(resultrans="") | Q(decided_at__isnull=False),
                name="payfip_sim_decision_dated",
            ),
        ]

    def __str__(self) -> str:
        return self.idop

    @property
    def is_decided(self) -> bool:
        return self.resultrans != Result.PENDING

    def is_forgotten(self, at: datetime) -> bool:
        """An undecided idOp is gone after PayFiP's nightly cleaning."""
        return not self.is_decided and at - self.created_at >= CLEANED_AFTER

    def can_be_decided(self, at: datetime) -> bool:
        return not self.is_decided and at - self.created_at < DECISION_WINDOW

    def details(self) -> dict[str, str]:
        """recupererDetailPaiementSecurise's answer, in the order of PayFiP's schema."""
        return {
            "dattrans": self.dattrans,
            "exer": self.exer,
            "heurtrans": self.heurtrans,
            "idOp": self.idop,
            "mel": self.mel,
            "montant": str(self.montant),
            "numauto": self.numauto,
            "numcli": self.numcli,
            "objet": self.objet,
            "refdet": self.refdet,
            "resultrans": self.resultrans,
            "saisie": self.saisie,
        }

    @property
    def amount(self) -> Decimal:
        """The amount in euros (PayFiP counts in cents)."""
        return Decimal(self.montant) / 100

    @staticmethod
    def decision_fields(result: str, at: datetime) -> dict:
        """What PayFiP records when the payer decides: result, time in Paris, authorisation."""
        local = at.astimezone(PARIS)
        return {
            "resultrans": result,
            "numauto": f"{secrets.randbelow(1_000_000):06d}" if result == Result.PAID else "",
            "dattrans": local.strftime("%d%m%Y"),
            "heurtrans": local.strftime("%H%M"),
            "decided_at": at,
        }
