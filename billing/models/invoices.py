"""Invoices and credit notes: numbered without gaps, frozen once issued."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from messaging.storage import private_storage

from .regies import Regie


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", _("Facture")
    CREDIT_NOTE = "credit_note", _("Avoir")


class InvoiceQuerySet(models.QuerySet):
    def for_family(self, family_id: int | None) -> "InvoiceQuerySet":
        return self.filter(family_id=family_id)


def invoice_pdf_path(instance, filename: str) -> str:
    return f"factures/{instance.year}/{instance.regie.code}/{instance.number}.pdf"


class Invoice(models.Model):
    """Immutable once issued: a correction is a credit note pointing to it."""

    regie = models.ForeignKey(
        Regie, verbose_name=_("régie"), on_delete=models.PROTECT, related_name="invoices"
    )
    family = models.ForeignKey(
        "accounts.Family",
        verbose_name=_("famille"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE
    )
    period = models.DateField(_("mois facturé"), help_text=_("Premier jour du mois."))
    year = models.PositiveSmallIntegerField(_("année de numérotation"))
    sequence = models.PositiveIntegerField(_("rang dans l'année"))
    number = models.CharField(_("numéro"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("émise le"))
    due_date = models.DateField(_("à payer avant le"))
    payer_name = models.CharField(_("payeur"), max_length=200)
    payer_address = models.TextField(_("adresse du payeur"))
    total = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    credited_invoice = models.ForeignKey(
        "self",
        verbose_name=_("facture corrigée"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="credit_notes",
    )
    reason = models.CharField(_("motif de l'avoir"), max_length=300, blank=True)
    pdf = models.FileField(
        _("PDF"), upload_to=invoice_pdf_path, storage=private_storage, blank=True
    )
    notified_at = models.DateTimeField(_("famille prévenue le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("émise par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = InvoiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("facture")
        verbose_name_plural = _("factures")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["regie", "year", "sequence"], name="invoice_gap_free_sequence"
            ),
            models.UniqueConstraint(
                fields=["regie", "family", "period"],
                condition=models.Q(kind="invoice"),
                name="invoice_one_per_family_regie_month",
            ),
            models.CheckConstraint(
                condition=models.Q(number__regex=r"^[A-Z0-9]+$"), name="invoice_number_alphanumeric"
            ),
            models.CheckConstraint(
                condition=models.Q(total__gte=0), name="invoice_total_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="invoice", credited_invoice__isnull=True)
                | models.Q(kind="credit_note", credited_invoice__isnull=False),
                name="credit_note_points_to_its_invoice",
            ),
        ]
        indexes = [models.Index(fields=["family", "issued_at"], name="invoice_family_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_credit_note(self) -> bool:
        return self.kind == InvoiceKind.CREDIT_NOTE


class LineKind(models.TextChoices):
    NORMAL = "normal", _("Prestation")
    PAI = "pai", _("Panier-repas PAI")
    SURCHARGE = "surcharge", _("Majoration")
    EXEMPT = "exempt", _("Non facturé")


class InvoiceLine(models.Model):
    invoice = models.ForeignKey(
        Invoice, verbose_name=_("facture"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveSmallIntegerField(_("ordre"))
    kind = models.CharField(_("type"), max_length=10, choices=LineKind.choices)
    child_name = models.CharField(_("enfant"), max_length=200)
    description = models.CharField(_("désignation"), max_length=250)
    days = ArrayField(models.DateField(), verbose_name=_("jours"), default=list)
    quantity = models.PositiveIntegerField(_("quantité"))
    unit_price = models.DecimalField(_("prix unitaire"), max_digits=8, decimal_places=2)
    amount = models.DecimalField(_("montant"), max_digits=10, decimal_places=2)
    cesu_eligible = models.BooleanField(
        _("payable en CESU"),
        default=False,
        help_text=_("Fixé à l'émission, d'après l'activité et l'âge de l'enfant."),
    )

    class Meta:
        verbose_name = _("ligne de facture")
        verbose_name_plural = _("lignes de facture")
        ordering = ["invoice", "position"]

    def __str__(self) -> str:
        return f"{self.child_name} — {self.description}"


class Series(models.TextChoices):
    """The counters a régie keeps each year; `billing.numbering.Document` says which series
    each numbered document takes its numbers in."""

    INVOICE = "invoice", _("Factures et avoirs")
    RECEIPT = "receipt", _("Reçus de paiement")


class InvoiceCounter(models.Model):
    """The last number given per régie, series and year; locked while numbering, so no
    gap, no twin. Only `billing.numbering` reads and writes it."""

    regie = models.ForeignKey(Regie, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=8, choices=Series.choices, default=Series.INVOICE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de factures")
        verbose_name_plural = _("compteurs de factures")
        constraints = [
            models.UniqueConstraint(
                fields=["regie", "series", "year"], name="invoice_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.regie.code} {self.get_series_display()} {self.year} : {self.last}"
