"""A régie's payments journal of a month, for its books: what it received, by method, and
what it cancelled in the month (bounced cheques…). Shown on a staff page and exported by
`billing.treasury_export.journal_csv`."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch, Q

from .invoicing import month_bounds
from .models import ZERO, Allocation, Method, Payment, Regie
from .statements import midnight


@dataclass(frozen=True)
class JournalGroup:
    method: str
    label: str
    payments: list  # Payment, with `settled` (the invoice numbers)
    total: Decimal


@dataclass(frozen=True)
class Journal:
    regie: Regie
    month: date
    groups: list[JournalGroup]
    cancellations: list  # Payment cancelled in the month (whenever received), with `settled`

    @property
    def total(self) -> Decimal:
        return sum((group.total for group in self.groups), ZERO)

    @property
    def count(self) -> int:
        return sum(len(group.payments) for group in self.groups)

    @property
    def cancelled_total(self) -> Decimal:
        return sum((payment.amount for payment in self.cancellations), ZERO)

    @property
    def net(self) -> Decimal:
        """Received in the month, less what was cancelled in it (bounced cheques…)."""
        return self.total - self.cancelled_total


def payments_journal(*, regie: Regie, month: date) -> Journal:
    """The payments the régie received in a month (Paris time), by method, and those it
    cancelled in the month: two queries."""
    start, end = month_bounds(month)
    since, until = midnight(start), midnight(end + timedelta(days=1))
    received = Q(received_at__gte=since, received_at__lt=until)
    cancelled = Q(cancelled_at__gte=since, cancelled_at__lt=until)
    payments = (
        Payment.objects.filter(received | cancelled, regie=regie)
        .select_related("family")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.select_related("invoice").order_by("invoice__number"),
            )
        )
        .order_by("received_at", "receipt_number")
    )
    by_method: dict[str, list] = {method: [] for method in Method.values}
    cancellations = []
    for payment in payments:
        payment.settled = [a.invoice.number for a in payment.allocations.all()]
        if since <= payment.received_at < until:
            by_method[payment.method].append(payment)
        if payment.cancelled_at and since <= payment.cancelled_at < until:
            cancellations.append(payment)
    groups = [
        JournalGroup(
            method=method,
            label=Method(method).label,
            payments=items,
            total=sum((p.amount for p in items), ZERO),
        )
        for method, items in by_method.items()
        if items
    ]
    cancellations.sort(key=lambda payment: (payment.cancelled_at, payment.receipt_number))
    return Journal(regie=regie, month=start, groups=groups, cancellations=cancellations)
