"""Shared set-up of the payment tests: invoices whose lines say what CESU may pay."""

from datetime import date
from decimal import Decimal

from django.db.models import Sum

from billing.models import Allocation, Invoice, InvoiceLine, Payment
from tests.billing.ledger import invoice

GARDERIE = ("Hugo MARTIN", "Garderie soir", 10, "1.80")  # 18,00 €
CANTEEN = ("Léa MARTIN", "Restauration scolaire", 10, "2.35")  # 23,50 €


def invoice_with(family, regie, *, period: date, lines, eligible=(), **fields) -> Invoice:
    """An invoice of these lines; those whose description is in `eligible` are payable in
    CESU (as the invoice run marks them)."""
    total = sum((Decimal(price) * quantity for _, _, quantity, price in lines), Decimal("0.00"))
    made = invoice(family, regie, period=period, total=f"{total:.2f}", lines=lines, **fields)
    made.lines.filter(description__in=eligible).update(cesu_eligible=True)
    return made


def allocated(to: Invoice | None = None, by: Payment | None = None) -> Decimal:
    allocations = Allocation.objects.all()
    if to is not None:
        allocations = allocations.filter(invoice=to)
    if by is not None:
        allocations = allocations.filter(payment=by)
    return allocations.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


def split(payment: Payment) -> list[tuple[str, Decimal]]:
    return [
        (a.invoice.number, a.amount)
        for a in payment.allocations.select_related("invoice").order_by("invoice__due_date")
    ]


def eligible_lines(made: Invoice) -> list[str]:
    return list(
        InvoiceLine.objects.filter(invoice=made, cesu_eligible=True).values_list(
            "description", flat=True
        )
    )
