"""Credit notes (avoirs): an issued invoice is never changed; a correction is a new,
numbered document that points to it and lowers what the family owes.

`credit_note(invoice=…, lines=[(line, quantity), …] | amount=…, reason=…, by=…)` credits
some units of the invoice's lines at their frozen unit price, or a lump sum. It is
numbered in the régie's invoice series (`billing.numbering`), gets its PDF, and the
family is told.
"""

import logging
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from portail.lib.formats import euros

from .models import ZERO, Invoice, InvoiceKind, InvoiceLine, LineKind
from .notices import notify_invoice
from .numbering import Document, next_number
from .pdf import render_pending
from .pricing import cents

logger = logging.getLogger(__name__)


def credited_so_far(invoice: Invoice) -> Decimal:
    return (
        Invoice.objects.filter(credited_invoice=invoice, kind=InvoiceKind.CREDIT_NOTE).aggregate(
            s=Sum("total")
        )["s"]
        or ZERO
    )


def _credit_lines(
    invoice: Invoice, lines: Iterable[tuple[InvoiceLine, int]] | None, amount, reason: str
) -> list[InvoiceLine]:
    if (lines is None) == (amount is None):
        raise ValueError("Un avoir porte soit sur des lignes, soit sur un montant.")
    if amount is not None:
        amount = cents(Decimal(amount))
        if amount <= 0:
            raise ValidationError("Le montant de l'avoir doit être positif.")
        return [
            InvoiceLine(
                kind=LineKind.NORMAL,
                child_name="",
                description=f"Avoir sur la facture {invoice.number} : {reason}"[:250],
                quantity=1,
                unit_price=amount,
                amount=amount,
            )
        ]
    result = []
    for line, quantity in lines:
        if line.invoice_id != invoice.pk:
            raise ValidationError(f"La ligne « {line} » n'est pas sur la facture {invoice.number}.")
        if not 0 < quantity <= line.quantity:
            raise ValidationError(
                f"« {line.description} » : entre 1 et {line.quantity} unité(s) à créditer."
            )
        if line.kind == LineKind.EXEMPT:
            raise ValidationError(f"« {line.description} » n'a pas été facturé.")
        result.append(
            InvoiceLine(
                kind=line.kind,
                child_name=line.child_name,
                description=f"Avoir : {line.description}"[:250],
                quantity=quantity,
                unit_price=line.unit_price,
                amount=cents(line.unit_price * quantity),
            )
        )
    if not result:
        raise ValidationError("Choisissez au moins une ligne à créditer.")
    return result


def credit_note(
    *,
    invoice: Invoice,
    reason: str,
    by,
    lines: Iterable[tuple[InvoiceLine, int]] | None = None,
    amount: Decimal | None = None,
    at: datetime | None = None,
) -> Invoice:
    """Issue a credit note on `invoice`; ValidationError (in French) changes nothing."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Le motif de l'avoir est obligatoire.")
    at = at or timezone.now()
    issued_on = timezone.localdate(at)
    with transaction.atomic():
        # Two credit notes on one invoice at once: the second sees the first.
        invoice = Invoice.objects.select_for_update().select_related("regie").get(pk=invoice.pk)
        if invoice.kind != InvoiceKind.INVOICE:
            raise ValidationError("Un avoir se fait sur une facture, pas sur un avoir.")
        new_lines = _credit_lines(invoice, lines, amount, reason)
        total = sum((line.amount for line in new_lines), ZERO)
        room = invoice.total - credited_so_far(invoice)
        if total > room:
            raise ValidationError(
                f"L'avoir ({euros(total)}) dépasse ce qui reste à créditer sur la facture "
                f"{invoice.number} ({euros(room)})."
            )
        number = next_number(
            regie=invoice.regie, year=issued_on.year, document=Document.CREDIT_NOTE
        )
        note = Invoice.objects.create(
            regie=invoice.regie,
            family_id=invoice.family_id,
            kind=InvoiceKind.CREDIT_NOTE,
            period=invoice.period,
            year=issued_on.year,
            sequence=number.sequence,
            number=number.text,
            issued_at=at,
            due_date=issued_on,
            payer_name=invoice.payer_name,
            payer_address=invoice.payer_address,
            total=total,
            credited_invoice=invoice,
            reason=reason[:300],
            created_by=by,
        )
        for position, line in enumerate(new_lines, start=1):
            line.invoice, line.position = note, position
        InvoiceLine.objects.bulk_create(new_lines)
    try:
        render_pending(ids=[note.pk], workers=1)
    except Exception:  # noqa: BLE001 — the note stands; generate_invoices makes the PDF later
        logger.exception("PDF de l'avoir %s non produit", note.number)
        return note
    note.refresh_from_db(fields=["pdf"])
    notify_invoice(Invoice.objects.select_related("regie", "family").get(pk=note.pk), at=at)
    note.refresh_from_db(fields=["notified_at"])
    return note
