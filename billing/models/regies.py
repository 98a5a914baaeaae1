"""Régies (the town hall's cash offices) and the tariffs of each bookable unit.

Each keeps its history (who changed a price, a bracket, a régie's activities, and when):
the admin's « Historique » of a régie or a tariff lists it, its inline rows included.
"""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reservations.models import Activity, Unit

ZERO = Decimal("0.00")


class PayfipMode(models.TextChoices):
    TEST = "T", _("T — test")
    ACTIVATION = "X", _("X — activation")
    PRODUCTION = "W", _("W — production")


class Regie(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    code = models.CharField(
        _("préfixe des numéros de facture"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{1,3}$", _("Une à trois lettres majuscules."))],
        help_text=_(
            "Ex. « F » : F2026000123. Lettres seulement : le numéro sert de référence PayFiP."
        ),
    )
    payee = models.CharField(
        _("ordre des chèques"), max_length=150, help_text=_("Ex. « Régie périscolaire de Valmont »")
    )
    address = models.CharField(_("adresse de la régie"), max_length=250, blank=True)
    payment_days = models.PositiveSmallIntegerField(
        _("délai de paiement (jours)"), default=30, validators=[MinValueValidator(1)]
    )
    payfip_numcli = models.CharField(
        _("n° client PayFiP"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{6}$", _("Six chiffres, donnés par la DGFiP."))],
        help_text=_("Vide : pas de paiement en ligne pour cette régie."),
    )
    payfip_saisie = models.CharField(
        _("mode PayFiP"),
        max_length=1,
        choices=PayfipMode.choices,
        default=PayfipMode.TEST,
        help_text=_("T pour les essais, X pour l'activation, W en production."),
    )
    activities = models.ManyToManyField(
        Activity, through="RegieActivity", verbose_name=_("activités facturées"), related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("régie")
        verbose_name_plural = _("régies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_online_payment(self) -> bool:
        return bool(self.payfip_numcli)


class RegieActivity(models.Model):
    """An activity is billed by one régie only (the database says so)."""

    regie = models.ForeignKey(Regie, on_delete=models.CASCADE, related_name="+")
    activity = models.OneToOneField(
        Activity, verbose_name=_("activité"), on_delete=models.PROTECT, related_name="regie_link"
    )
    accepts_cesu = models.BooleanField(
        _("CESU acceptés"),
        default=False,
        help_text=_("Garde d'enfants : périscolaire, ALSH des moins de 6 ans."),
    )
    cesu_age_limit = models.PositiveSmallIntegerField(
        _("CESU seulement avant (ans)"),
        null=True,
        blank=True,
        help_text=_("Ex. 6 : CESU acceptés pour les enfants de moins de 6 ans. Vide : tous."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activité de la régie")
        verbose_name_plural = _("activités de la régie")

    def __str__(self) -> str:
        return f"{self.regie} — {self.activity}"


class TariffMode(models.TextChoices):
    BRACKETS = "brackets", _("Par tranches de quotient familial")
    EFFORT_RATE = "effort_rate", _("Taux d'effort × quotient familial")


class ChargeKind(models.TextChoices):
    FIXED = "fixed", _("Montant fixe (€)")
    PERCENT = "percent", _("Pourcentage du prix (%)")


def _money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=8, decimal_places=2, validators=[MinValueValidator(ZERO)], **kwargs
    )


class Tariff(models.Model):
    """The price of one unit over a period: by QF brackets or as an effort rate."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unité"), on_delete=models.PROTECT, related_name="tariffs"
    )
    valid_from = models.DateField(_("valable du"))
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    mode = models.CharField(_("calcul"), max_length=12, choices=TariffMode.choices)
    effort_rate = models.DecimalField(
        _("taux d'effort"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Prix = QF × taux, borné par le minimum et le maximum. Ex. 0,0035"),
    )
    minimum = _money(_("prix minimum"), null=True, blank=True)
    maximum = _money(_("prix maximum"), null=True, blank=True)
    out_of_commune_price = _money(
        _("prix hors commune"), null=True, blank=True, help_text=_("Vide : même prix.")
    )
    pai_price = _money(
        _("prix panier-repas PAI"),
        null=True,
        blank=True,
        help_text=_("Repas fourni par la famille."),
    )
    late_booking_kind = models.CharField(
        _("majoration réservation hors délai"),
        max_length=8,
        choices=ChargeKind.choices,
        default=ChargeKind.FIXED,
    )
    late_booking_value = _money(_("valeur"), default=ZERO)
    unbooked_kind = models.CharField(
        _("majoration présence sans réservation"),
        max_length=8,
        choices=ChargeKind.choices,
        default=ChargeKind.FIXED,
    )
    unbooked_value = _money(_("valeur"), default=ZERO)
    late_cancel_kind = models.CharField(
        _("frais d'annulation hors délai"),
        max_length=8,
        choices=ChargeKind.choices,
        default=ChargeKind.PERCENT,
    )
    late_cancel_value = _money(_("valeur"), default=ZERO)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tarif")
        verbose_name_plural = _("tarifs")
        ordering = ["unit", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="tariff_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(mode="effort_rate") | models.Q(effort_rate__isnull=False),
                name="tariff_effort_rate_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — depuis le {self.valid_from:%d/%m/%Y}"

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class TariffBracket(models.Model):
    tariff = models.ForeignKey(
        Tariff, verbose_name=_("tarif"), on_delete=models.CASCADE, related_name="brackets"
    )
    qf_max = models.DecimalField(
        _("QF jusqu'à"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Vide : la dernière tranche (et les familles sans QF valide)."),
    )
    price = _money(_("prix"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = [models.F("qf_max").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(fields=["tariff", "qf_max"], name="bracket_unique_bound"),
            models.UniqueConstraint(
                fields=["tariff"], condition=models.Q(qf_max__isnull=True), name="bracket_one_top"
            ),
        ]

    def __str__(self) -> str:
        bound = f"≤ {self.qf_max}" if self.qf_max is not None else "dernière tranche"
        return f"{bound} : {self.price} €"
