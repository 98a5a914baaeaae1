"""What an invoice still asks for, computed by the database.

`with_amounts(invoices)` annotates each invoice with
- `paid`: the payments allocated to it (a cancelled payment pays nothing),
- `credited`: the credit notes made on it,
- `remaining`: what is left to pay (never below zero);
`with_status(invoices, today=…)` adds `status`: paid / partly / unpaid / overdue (credit
notes have none).

The statuses exclude each other: an invoice with something left to pay whose due date
has passed is « overdue », whether or not part of it was paid.
"""

from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Case, F, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _

from .models import Allocation, Invoice, InvoiceKind

MONEY = models.DecimalField(max_digits=10, decimal_places=2)
NOTHING = Value(Decimal("0.00"), output_field=MONEY)


class Status(models.TextChoices):
    PAID = "paid", _("Payée")
    PARTLY = "partly", _("Payée en partie")
    UNPAID = "unpaid", _("À payer")
    OVERDUE = "overdue", _("En retard")


def _sum_per_invoice(queryset: models.QuerySet, key: str, amount: str) -> Subquery:
    summed = queryset.filter(**{key: OuterRef("pk")}).values(key).annotate(s=Sum(amount))
    return Coalesce(Subquery(summed.values("s"), output_field=MONEY), NOTHING)


def with_amounts(invoices: models.QuerySet) -> models.QuerySet:
    paid = _sum_per_invoice(Allocation.objects.standing(), "invoice", "amount")
    credited = _sum_per_invoice(
        Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE), "credited_invoice", "total"
    )
    return invoices.annotate(paid=paid, credited=credited).annotate(
        remaining=Greatest(F("total") - F("paid") - F("credited"), NOTHING)
    )


def with_status(invoices: models.QuerySet, *, today: date) -> models.QuerySet:
    return with_amounts(invoices).annotate(
        status=Case(
            When(kind=InvoiceKind.CREDIT_NOTE, then=Value("")),
            When(remaining__lte=0, then=Value(Status.PAID)),
            When(due_date__lt=today, then=Value(Status.OVERDUE)),
            When(remaining__lt=F("total"), then=Value(Status.PARTLY)),
            default=Value(Status.UNPAID),
            output_field=models.CharField(),
        )
    )


def outstanding(invoices: models.QuerySet) -> models.QuerySet:
    """The invoices (not credit notes) that still ask for money."""
    return with_amounts(invoices.filter(kind=InvoiceKind.INVOICE)).filter(remaining__gt=0)
