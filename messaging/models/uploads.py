"""Supporting documents (justificatifs) a family uploads to its record."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage


class DocumentKind(models.TextChoices):
    CAF = "caf", _("Attestation CAF / MSA (quotient familial)")
    MEDICAL = "medical", _("Certificat médical")
    INSURANCE = "insurance", _("Attestation d'assurance")
    PAI = "pai", _("Document PAI")
    OTHER = "other", _("Autre justificatif")


# Health data: their file, name and description are reserved to the staff allowed to see
# health data, and each opening is logged (messaging.document_access).
MEDICAL_KINDS = frozenset({DocumentKind.MEDICAL, DocumentKind.PAI})


class DocumentStatus(models.TextChoices):
    RECEIVED = "received", _("Reçu, en attente de vérification")
    ACCEPTED = "accepted", _("Accepté")
    REFUSED = "refused", _("Refusé")


class FamilyDocumentQuerySet(models.QuerySet):
    def for_recipient(self, recipient_id: int | None) -> "FamilyDocumentQuerySet":
        return self.filter(family_id=recipient_id)


def family_document_path(instance, filename: str) -> str:
    return f"justificatifs/{instance.family_id}/{timezone.now():%Y%m%d-%H%M%S}-{filename}"


class FamilyDocument(models.Model):
    family = models.ForeignKey(
        "accounts.Family",
        verbose_name=_("famille"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("type"), max_length=20, choices=DocumentKind.choices)
    description = models.CharField(_("précision"), max_length=200, blank=True)
    file = models.FileField(_("fichier"), upload_to=family_document_path, storage=private_storage)
    name = models.CharField(_("nom du fichier"), max_length=200)
    content_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveIntegerField(_("taille (octets)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("déposé par"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("déposé le"), default=timezone.now)
    status = models.CharField(
        _("état"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.RECEIVED
    )
    staff_note = models.CharField(_("remarque de la mairie"), max_length=300, blank=True)

    objects = FamilyDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("justificatif")
        verbose_name_plural = _("justificatifs")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.neutral_label if self.is_medical else self.family_label

    @property
    def is_medical(self) -> bool:
        return self.kind in MEDICAL_KINDS

    @property
    def family_label(self) -> str:
        """How the family itself reads it on its pages: with its file name."""
        return f"{self.get_kind_display()} — {self.name}"

    @property
    def neutral_label(self) -> str:
        """What any page may show of a medical document: its kind and number, never its
        file name (« asthme-leo.pdf » would tell a diagnosis)."""
        return f"{self.get_kind_display()} n° {self.pk}"
