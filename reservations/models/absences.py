"""Medical absences: the family reports them with a certificate; staff accept or refuse."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from children.models import Child
from messaging.models import FamilyDocument
from portail.lib.decisions import Decision, DecisionQuerySet


class AbsenceStatus(models.TextChoices):
    PENDING = "pending", _("En attente de décision")
    ACCEPTED = "accepted", _("Acceptée")
    REFUSED = "refused", _("Refusée")


class MedicalAbsenceQuerySet(DecisionQuerySet):
    def for_family(self, family_id: int | None) -> "MedicalAbsenceQuerySet":
        return self.filter(child__family_id=family_id)

    def overlapping(self, *, child, start, end) -> "MedicalAbsenceQuerySet":
        return self.filter(child=child, start__lte=end, end__gte=start).exclude(
            status=AbsenceStatus.REFUSED
        )


class MedicalAbsence(Decision):
    PENDING, APPROVED, REFUSED = (
        AbsenceStatus.PENDING,
        AbsenceStatus.ACCEPTED,
        AbsenceStatus.REFUSED,
    )

    child = models.ForeignKey(
        Child, verbose_name=_("enfant"), on_delete=models.PROTECT, related_name="absences"
    )
    start = models.DateField(_("premier jour d'absence"))
    end = models.DateField(_("dernier jour d'absence"))
    # A certificate the family withdraws from « Mes justificatifs » before the decision
    # leaves the absence without one (staff then refuse it); the absence itself is kept.
    certificate = models.ForeignKey(
        FamilyDocument,
        verbose_name=_("certificat médical"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    comment = models.CharField(_("précision de la famille"), max_length=300, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=AbsenceStatus.choices, default=AbsenceStatus.PENDING
    )
    # A family reports an absence: the same columns as any request, named for it.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signalée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("signalée le"), default=timezone.now, db_index=True)

    objects = MedicalAbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("absence médicale")
        verbose_name_plural = _("absences médicales")
        ordering = ["-start", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="medical_absence_in_order"
            )
        ]
        indexes = [models.Index(fields=["status", "start"], name="medical_absence_status_idx")]

    def __str__(self) -> str:
        return f"{self.child} — {self.start:%d/%m/%Y} au {self.end:%d/%m/%Y}"
