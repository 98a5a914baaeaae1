"""Invoices, credit notes and payments written straight into the database, as the invoice
run and the cash desk would leave them, for the pages that read a family's account."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from billing.models import (
    Allocation,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    LineKind,
    Method,
    Payment,
    Regie,
)
from billing.numbering import Document, next_number
from reservations.models import SchoolYear


def at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _next_number(regie: Regie, year: int) -> tuple[int, str]:
    """The régie's next number, taken from its series as the invoice run does."""
    with transaction.atomic():
        number = next_number(regie=regie, year=year, document=Document.INVOICE)
    return number.sequence, number.text


def invoice(
    family,
    regie: Regie,
    *,
    period: date,
    total: str,
    issued: date | None = None,
    due: date | None = None,
    lines: list[tuple[str, str, int, str]] | None = None,
    pdf: bytes | None = None,
) -> Invoice:
    """A month's invoice, issued on the 1st of the next month unless told; lines are
    (child, description, quantity, unit price)."""
    issued = issued or (period.replace(day=28) + timedelta(days=4)).replace(day=1)
    sequence, number = _next_number(regie, issued.year)
    made = Invoice.objects.create(
        regie=regie,
        family=family,
        period=period,
        year=issued.year,
        sequence=sequence,
        number=number,
        issued_at=at(issued),
        due_date=due or issued + timedelta(days=30),
        payer_name=f"Claire {family.name}",
        payer_address="12 rue des Tilleuls\n45000 Valmont",
        total=Decimal(total),
    )
    for position, (child, description, quantity, price) in enumerate(lines or [], start=1):
        InvoiceLine.objects.create(
            invoice=made,
            position=position,
            kind=LineKind.NORMAL,
            child_name=child,
            description=description,
            quantity=quantity,
            unit_price=Decimal(price),
            amount=Decimal(price) * quantity,
        )
    if pdf is not None:
        made.pdf.save("facture.pdf", ContentFile(pdf))
    return made


def credit_note(original: Invoice, *, total: str, issued: date, reason: str = "") -> Invoice:
    sequence, number = _next_number(original.regie, issued.year)
    return Invoice.objects.create(
        regie=original.regie,
        family=original.family,
        kind=InvoiceKind.CREDIT_NOTE,
        credited_invoice=original,
        reason=reason,
        period=original.period,
        year=issued.year,
        sequence=sequence,
        number=number,
        issued_at=at(issued, 10),
        due_date=issued,
        payer_name=original.payer_name,
        payer_address=original.payer_address,
        total=Decimal(total),
    )


def payment(
    family,
    regie: Regie,
    *,
    amount: str,
    received: date,
    method: str = Method.CHEQUE,
    settles: Invoice | None = None,
) -> Payment:
    received_at = at(received, 11)
    number = f"R{received:%Y%m%d}{Payment.objects.count() + 1:04d}"
    made = Payment.objects.create(
        regie=regie,
        family=family,
        method=method,
        amount=Decimal(amount),
        received_at=received_at,
        receipt_number=number,
    )
    if settles is not None:
        Allocation.objects.create(payment=made, invoice=settles, amount=Decimal(amount))
    return made


@pytest.fixture
def regie_enfance(db) -> Regie:
    return Regie.objects.create(
        name="Régie enfance",
        code="E",
        payee="Régie enfance de Valmont",
        address="Mairie de Valmont, 1 place de la Mairie",
    )


@pytest.fixture
def previous_year(db) -> SchoolYear:
    """The year before tests.reservations' `school_year` (2026-2027)."""
    return SchoolYear.objects.create(
        name="2025-2026", start=date(2025, 9, 1), end=date(2026, 8, 31)
    )
