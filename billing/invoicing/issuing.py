"""Issuing a month's invoices, in three resumable phases:

1. numbers and lines — written by chunks of families of one régie, each chunk in one
   transaction: an invoice that already exists for that month is left as it is, so a
   second run changes nothing; the numbers come from the régie's invoice series
   (`billing.numbering`), locked until the chunk is written, so they have neither gap nor
   twin even when two runs overlap; the payer and the unit prices are frozen then;
2. the PDFs of every invoice that has none yet (billing.pdf, on two processes when there
   are many);
3. the family's inbox message and e-mail, once per invoice (`notified_at`).

Then what families paid in advance settles their new invoices (`billing.payments`).
A constant handful of queries per chunk of invoices, whatever the families' size.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Family

from ..models import ZERO, Invoice, InvoiceKind, InvoiceLine, Regie
from ..notices import notify_pending
from ..numbering import Document, lock_series, open_series
from ..payments import apply_credits, families_with_credit
from ..pdf import render_pending
from .drafts import Draft, Month, iter_drafts

CHUNK = 100  # invoices of one régie written in one transaction


@dataclass
class IssueReport:
    month: date
    issued: int = 0
    total: Decimal = ZERO
    already: int = 0  # invoices of this month that existed before the run
    pdfs: int = 0
    notified: int = 0
    settled_by_credit: int = 0  # allocations of earlier credit to this month's invoices
    untariffed: list[str] = field(default_factory=list)
    by_regie: dict[str, tuple[int, Decimal]] = field(default_factory=dict)

    def add(self, invoice: Invoice) -> None:
        self.issued += 1
        self.total += invoice.total
        count, amount = self.by_regie.get(invoice.regie.name, (0, ZERO))
        self.by_regie[invoice.regie.name] = (count + 1, amount + invoice.total)


def payer_of(family: Family) -> str:
    guardian = family.billing_guardian
    if guardian is not None:
        return f"{guardian.first_name} {guardian.last_name}".strip()
    return f"Famille {family.name}"


def _new_invoice(draft: Draft, *, number: str, sequence: int, at: datetime, by) -> Invoice:
    issued_on = timezone.localdate(at)
    return Invoice(
        regie=draft.regie,
        family=draft.family,
        kind=InvoiceKind.INVOICE,
        period=draft.period,
        year=issued_on.year,
        sequence=sequence,
        number=number,
        issued_at=at,
        due_date=issued_on + timedelta(days=draft.regie.payment_days),
        payer_name=payer_of(draft.family),
        payer_address="\n".join(draft.family.address_lines),
        total=draft.total,
        created_by=by,
    )


def _lines(invoice: Invoice, draft: Draft) -> Iterator[InvoiceLine]:
    for position, line in enumerate(draft.lines, start=1):
        yield InvoiceLine(
            invoice=invoice,
            position=position,
            kind=line.kind,
            child_name=line.child_name,
            description=line.description,
            days=line.days,
            quantity=line.quantity,
            unit_price=line.unit_price,
            amount=line.amount,
            cesu_eligible=line.cesu_eligible,
        )


@transaction.atomic
def _issue_chunk(regie: Regie, drafts: list[Draft], *, at: datetime, by) -> list[Invoice]:
    """Number and write the invoices of some families of one régie, those that do not
    exist yet, in one transaction: all of them or none, numbers included."""
    # The series is locked first: a run that overlaps ours waits here, then finds our
    # invoices already written and writes none of them.
    series = lock_series(regie=regie, year=timezone.localdate(at).year, document=Document.INVOICE)
    existing = set(
        Invoice.objects.filter(
            regie=regie,
            kind=InvoiceKind.INVOICE,
            period=drafts[0].period,
            family_id__in=[d.family.pk for d in drafts],
        ).values_list("family_id", flat=True)
    )
    todo = [d for d in drafts if d.family.pk not in existing]
    if not todo:
        return []
    numbers = series.take(len(todo))
    invoices = Invoice.objects.bulk_create(
        _new_invoice(item, number=number.text, sequence=number.sequence, at=at, by=by)
        for number, item in zip(numbers, todo, strict=True)
    )
    InvoiceLine.objects.bulk_create(
        line for invoice, item in zip(invoices, todo, strict=True) for line in _lines(invoice, item)
    )
    return invoices


def issue_invoices(*, month: date, by=None, at: datetime | None = None) -> IssueReport:
    """Phase 1: the numbers and lines of the month's invoices still missing, written by
    chunks of CHUNK families of one régie, each chunk in its own transaction."""
    at = at or timezone.now()
    loaded = Month(month)
    report = IssueReport(month=loaded.start)
    year = timezone.localdate(at).year
    for regie in {r.pk: r for r in loaded.regies.values()}.values():
        open_series(regie=regie, year=year, document=Document.INVOICE)
    for batch in iter_drafts(loaded, None):
        by_regie: dict[int, list[Draft]] = defaultdict(list)
        for item in batch:
            by_regie[item.regie.pk].append(item)
        for drafts in by_regie.values():
            for at_ in range(0, len(drafts), CHUNK):
                chunk = drafts[at_ : at_ + CHUNK]
                written = _issue_chunk(chunk[0].regie, chunk, at=at, by=by)
                report.already += len(chunk) - len(written)
                for invoice in written:
                    report.add(invoice)
    report.untariffed = sorted({name for name, _ in loaded.untariffed})
    report.settled_by_credit = settle_with_credit(loaded.start)
    return report


def settle_with_credit(period: date) -> int:
    """The month's new invoices are settled by what their families paid in advance (an
    over-payment): one query finds the few families with credit, then each is settled in
    its own transaction. Returns how many allocations were made."""
    invoiced = Invoice.objects.filter(period=period, kind=InvoiceKind.INVOICE).values("family_id")
    return apply_credits(families_with_credit(family_ids=invoiced))


def issue(*, month: date, by=None, at: datetime | None = None, workers: int = 2) -> IssueReport:
    """The whole run for a month: invoices, then their PDFs, then the families are told.

    Each phase picks up where an interrupted run left off."""
    report = issue_invoices(month=month, by=by, at=at)
    report.pdfs = render_pending(workers=workers)
    report.notified = notify_pending(at=at)
    return report
