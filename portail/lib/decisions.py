"""One shape for every staff decision: a family asks, a clerk accepts or refuses, once.

A model built on `Decision` records who asked and when, and who decided, when and why.
`decide()` is a conditional UPDATE … WHERE status = pending: when two clerks decide the
same request at once, PostgreSQL makes the second wait for the first's transaction, then
finds the request decided and changes nothing — so the family is told once, by whoever
won. What a decision does besides (apply a change, excuse days, write to the family)
stays in the model's own service, run only after a won decide.

A model whose stored states predate this module keeps its values and French words: it
declares its own `status` field and names its three states in PENDING, APPROVED, REFUSED.
"""

from datetime import datetime
from typing import ClassVar, Self

from django.conf import settings
from django.core import checks
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .formats import clock, long_date

DECIDED_FIELDS = ("status", "decided_by", "decided_at", "reason")


class DecisionStatus(models.TextChoices):
    PENDING = "pending", _("En attente de décision")
    APPROVED = "approved", _("Acceptée")
    REFUSED = "refused", _("Refusée")


class DecisionQuerySet(models.QuerySet):
    def pending(self) -> Self:
        return self.filter(status=self.model.PENDING)

    def decide(
        self, *, by, status: str, reason: str = "", at: datetime | None = None
    ) -> list[models.Model]:
        """Decide the pending rows among these; returns the rows this call decided.

        The pending rows are locked first (two clerks deciding the same selection at once
        decide each row once), then updated in one query."""
        self.model.check_decision_status(status)
        values = _decided_values(by=by, status=status, reason=reason, at=at)
        with transaction.atomic(using=self.db):
            rows = list(self.pending().select_for_update(of=("self",)).order_by("pk"))
            self.model._default_manager.filter(pk__in=[row.pk for row in rows]).update(**values)
        for row in rows:
            for name, value in values.items():
                setattr(row, name, value)
        return rows


class Decision(models.Model):
    """Asked by a family (or staff for it), decided once by staff."""

    PENDING: ClassVar[str] = DecisionStatus.PENDING
    APPROVED: ClassVar[str] = DecisionStatus.APPROVED
    REFUSED: ClassVar[str] = DecisionStatus.REFUSED

    status = models.CharField(
        _("état"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("demandée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("demandée le"), default=timezone.now, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traitée par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    reason = models.TextField(_("motif du refus"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_pending(self) -> bool:
        return self.status == self.PENDING

    @classmethod
    def check_decision_status(cls, status: str) -> None:
        """A decision moves a request out of pending, to one of the model's states."""
        if status == cls.PENDING or status not in dict(cls._meta.get_field("status").choices):
            raise ValueError(f"{status!r} n'est pas une décision de {cls._meta.label}.")

    def decide(self, *, by, status: str, reason: str = "", at: datetime | None = None) -> bool:
        """Take the decision unless someone took it first; True when this call decided.

        Either way the instance then holds the decision on record (the winner's, when
        this call lost), which `decision_summary()` tells."""
        self.check_decision_status(status)
        values = _decided_values(by=by, status=status, reason=reason, at=at)
        pending = type(self)._default_manager.filter(pk=self.pk, status=self.PENDING)
        won = bool(pending.update(**values))
        if won:
            for name, value in values.items():
                setattr(self, name, value)
        else:
            self.refresh_from_db(fields=list(DECIDED_FIELDS))
        return won

    def decision_summary(self) -> str:
        """« acceptée par Claire Agent le 4 décembre 2026 à 10h12 »."""
        if self.is_pending:
            return str(self.get_status_display()).lower()
        parts = [str(self.get_status_display()).lower()]
        if self.decided_by is not None:
            parts.append(f"par {self.decided_by.get_full_name() or self.decided_by.username}")
        if self.decided_at is not None:
            at = timezone.localtime(self.decided_at)
            parts.append(f"le {long_date(at.date())} à {clock(at.time())}")
        return " ".join(parts)

    @classmethod
    def check(cls, **kwargs) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        choices = dict(cls._meta.get_field("status").choices)
        for name in ("PENDING", "APPROVED", "REFUSED"):
            if getattr(cls, name) not in choices:
                errors.append(
                    checks.Error(
                        f"{cls._meta.label}.{name} is not one of its status choices.",
                        obj=cls,
                        id="decisions.E001",
                    )
                )
        return errors


def _decided_values(*, by, status: str, reason: str, at: datetime | None) -> dict:
    return {
        "status": status,
        "decided_by": by,
        "decided_at": at or timezone.now(),
        "reason": reason.strip(),
    }
