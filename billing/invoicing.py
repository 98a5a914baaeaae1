"""The monthly invoice run: one invoice per family, régie and month, from the bookings.

`draft(month=…)` computes what would be invoiced and saves nothing (the preview staff
check). `issue(month=…)` does it for real, in three resumable phases:

1. numbers and lines — written by chunks of families of one régie, each chunk in one
   transaction: an invoice that already exists for that month is left as it is, so a
   second run changes nothing; the numbers come from the régie's counter row, locked
   until the chunk is written, so they have neither gap nor twin even when two runs
   overlap;
2. the PDFs of every invoice that has none yet (billing.pdf, on two processes when there
   are many);
3. the family's inbox message and e-mail, once per invoice (`notified_at`).

What a month costs comes from bookings and attendance through `billing.pricing.charges`;
a booking on a day the activity was closed (strike, closure) is shown « non facturé »
unless the child was marked present. A family whose month costs nothing — only exempt
days, or free units — gets no invoice: there would be nothing to pay, and the days
excused stay visible on the reservations page.

The queries of a run do not depend on the number of children or bookings of a family:
families are taken by batches, each batch's families, children, PAI flags and bookings
in one query each, tariffs and closures once; then a constant handful per chunk of
invoices.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Family
from children.models import Child, Health
from reservations.models import Booking, Closure, Status, Unit

from .models import (
    ZERO,
    Invoice,
    InvoiceCounter,
    InvoiceKind,
    InvoiceLine,
    LineKind,
    Regie,
    RegieActivity,
    Series,
)
from .notices import notify_pending
from .pdf import render_pending
from .pricing import Charge, Tariffs, cents, charges

BATCH = 1000  # families whose bookings are read in one query
CHUNK = 100  # invoices of one régie written in one transaction

# Statuses that can cost something (or show as exempt); CANCELLED only on a closed day.
PRICED = (Status.BOOKED, Status.PRESENT, Status.ABSENT, Status.EXCUSED, Status.LATE_CANCELLED)
READ = (*PRICED, Status.CANCELLED)
KIND_ORDER = {LineKind.NORMAL: 0, LineKind.PAI: 0, LineKind.SURCHARGE: 1, LineKind.EXEMPT: 2}


@dataclass
class DraftLine:
    kind: str
    child_name: str
    description: str
    unit_price: Decimal
    days: list[date] = field(default_factory=list)
    cesu_eligible: bool = False

    @property
    def quantity(self) -> int:
        return len(self.days)

    @property
    def amount(self) -> Decimal:
        return cents(self.unit_price * self.quantity)


@dataclass
class Draft:
    """One invoice to be: a family, a régie, a month and its lines (children in order)."""

    regie: Regie
    family: Family
    period: date
    lines: list[DraftLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), ZERO)

    def by_child(self) -> list[tuple[str, list[DraftLine]]]:
        grouped: dict[str, list[DraftLine]] = {}
        for line in self.lines:
            grouped.setdefault(line.child_name, []).append(line)
        return list(grouped.items())


def month_bounds(month: date) -> tuple[date, date]:
    start = month.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return start, end


class BookedDay(NamedTuple):
    """What pricing reads of a booking: a row, without the cost of a model instance."""

    child_id: int
    unit: Unit
    activity_id: int
    day: date
    status: str
    unbooked: bool
    after_deadline: bool


class _Month:
    """What every batch of a month shares, loaded once: régies, units, tariffs, closures."""

    def __init__(self, month: date):
        self.start, self.end = month_bounds(month)
        links = list(RegieActivity.objects.select_related("regie"))
        self.regies = {link.activity_id: link.regie for link in links}
        # activity → None when CESU are refused, else the age limit (0: any age)
        self.cesu = {
            link.activity_id: (link.cesu_age_limit or 0) if link.accepts_cesu else None
            for link in links
        }
        self.units = {
            unit.pk: unit
            for unit in Unit.objects.filter(activity_id__in=list(self.regies)).select_related(
                "activity"
            )
        }
        self.tariffs = Tariffs.load(unit_ids=list(self.units), start=self.start, end=self.end)
        self.closed: dict[tuple[int | None, date], str] = {}
        for closure in Closure.objects.filter(start__lte=self.end, end__gte=self.start):
            day = max(closure.start, self.start)
            while day <= min(closure.end, self.end):
                self.closed.setdefault((closure.activity_id, day), closure.reason)
                day += timedelta(days=1)
        self.untariffed: set[tuple[str, date]] = set()

    def bookings(self) -> QuerySet[Booking]:
        return Booking.objects.filter(
            day__range=(self.start, self.end),
            activity_id__in=list(self.regies),
            status__in=READ,
        )

    def family_ids(self) -> list[int]:
        return list(
            self.bookings()
            .order_by("child__family_id")
            .values_list("child__family_id", flat=True)
            .distinct()
        )

    def closure_reason(self, booking: BookedDay) -> str | None:
        return self.closed.get((None, booking.day)) or self.closed.get(
            (booking.activity_id, booking.day)
        )

    def drafts(self, family_ids: list[int]) -> list[Draft]:
        """The drafts of these families: four queries, whatever their size."""
        families = {
            f.pk: f
            for f in Family.objects.filter(pk__in=family_ids).select_related("billing_guardian")
        }
        children = {
            c.pk: c
            for c in Child.objects.filter(family_id__in=family_ids).only(
                "family_id", "first_name", "last_name", "birth_date"
            )
        }
        pai = set(
            Health.objects.filter(child__family_id__in=family_ids, pai=True).values_list(
                "child_id", flat=True
            )
        )
        rows = (
            self.bookings()
            .filter(child__family_id__in=family_ids)
            .values_list(
                "child_id", "unit_id", "activity_id", "day", "status", "unbooked", "after_deadline"
            )
        )
        # (family, régie) → sort and grouping key → line
        lines: dict[tuple[int, int], dict[tuple, DraftLine]] = defaultdict(dict)
        for child_id, unit_id, *rest in rows.iterator(chunk_size=5000):
            booking = BookedDay(child_id, self.units[unit_id], *rest)
            child = children[child_id]
            family = families[child.family_id]
            regie = self.regies[booking.activity_id]
            unit = booking.unit
            for charge in self._charges(booking, family, pai=child_id in pai):
                eligible = self._cesu_eligible(booking, charge, child.birth_date)
                key = (
                    child.birth_date,
                    child.first_name,
                    child_id,
                    unit.activity.position,
                    booking.activity_id,
                    unit.position,
                    unit_id,
                    KIND_ORDER[charge.kind],
                    charge.description,
                    charge.unit_price,
                    not eligible,  # a birthday in the month splits the line
                )
                line = lines[family.pk, regie.pk].get(key)
                if line is None:
                    line = lines[family.pk, regie.pk][key] = DraftLine(
                        kind=charge.kind,
                        child_name=f"{child.first_name} {child.last_name}",
                        description=charge.description,
                        unit_price=charge.unit_price,
                        cesu_eligible=eligible,
                    )
                line.days.append(booking.day)
        regies = {regie.pk: regie for regie in self.regies.values()}
        drafts = []
        for (family_id, regie_id), keyed in lines.items():
            ordered = [keyed[key] for key in sorted(keyed)]
            for line in ordered:
                line.days.sort()
            drafts.append(Draft(regies[regie_id], families[family_id], self.start, ordered))
        return [d for d in drafts if d.total > 0]

    def _cesu_eligible(self, booking: BookedDay, charge: Charge, birth_date: date | None) -> bool:
        """CESU pay for childcare given: the activities the régie accepts them for, under
        the age limit on the day; not for a late cancellation nor an exempt day."""
        limit = self.cesu.get(booking.activity_id)
        if limit is None or charge.kind == LineKind.EXEMPT:
            return False
        if booking.status == Status.LATE_CANCELLED:
            return False
        return not limit or (birth_date is not None and age_on(birth_date, booking.day) < limit)

    def _charges(self, booking: BookedDay, family: Family, *, pai: bool) -> list[Charge]:
        reason = self.closure_reason(booking)
        if reason and booking.status != Status.PRESENT:
            return [_closed_charge(booking, reason)]
        if booking.status == Status.CANCELLED:
            return []
        tariff = self.tariffs.for_(booking.unit.pk, booking.day)
        if tariff is None:
            self.untariffed.add((str(booking.unit), booking.day))
            return []
        return charges(booking, family=family, tariff=tariff, pai=pai)


def age_on(birth_date: date, day: date) -> int:
    """Full years of age on that day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def _closed_charge(booking: BookedDay, reason: str) -> Charge:
    return Charge(LineKind.EXEMPT, f"{booking.unit.name} — fermeture ({reason}), non facturé", ZERO)


def _batches(ids: list[int], size: int) -> Iterator[list[int]]:
    for at in range(0, len(ids), size):
        yield ids[at : at + size]


def _iter_drafts(month: _Month, family_ids: Iterable[int] | None) -> Iterator[list[Draft]]:
    ids = month.family_ids() if family_ids is None else sorted(set(family_ids))
    for batch in _batches(ids, BATCH):
        yield sorted(month.drafts(batch), key=lambda d: (d.regie.name, d.family.name, d.family.pk))


def draft(*, month: date, family_ids: Iterable[int] | None = None) -> list[Draft]:
    """What `issue()` would invoice for that month (every family, or those given);
    nothing is saved. Families with nothing to pay are absent."""
    drafts = [d for batch in _iter_drafts(_Month(month), family_ids) for d in batch]
    return sorted(drafts, key=lambda d: (d.regie.name, d.family.name, d.family.pk))


# --- issuing --------------------------------------------------------------------------


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


def number_of(regie: Regie, year: int, sequence: int, series: str = Series.INVOICE) -> str:
    """Letters and digits only: it is the PayFiP reference. « F2026000123 » for an invoice,
    « FR2026000123 » for a receipt."""
    mark = "R" if series == Series.RECEIPT else ""
    return f"{regie.code}{mark}{year}{sequence:06d}"


def ensure_counter(regie: Regie, year: int, series: str = Series.INVOICE) -> None:
    InvoiceCounter.objects.get_or_create(regie=regie, year=year, series=series)


def locked_counter(regie: Regie, year: int, series: str = Series.INVOICE) -> InvoiceCounter:
    """The régie's counter of a series for the year, locked until the caller's transaction
    ends: whoever numbers next waits, and a rolled-back document gives its number back."""
    return InvoiceCounter.objects.select_for_update().get(regie=regie, year=year, series=series)


def take_number(counter: InvoiceCounter, regie: Regie) -> str:
    counter.last += 1
    counter.save(update_fields=["last"])
    return number_of(regie, counter.year, counter.last, counter.series)


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
    # The counter is locked first: a run that overlaps ours waits here, then finds our
    # invoices already written and writes none of them.
    counter = locked_counter(regie, timezone.localdate(at).year)
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
    first = counter.last + 1
    counter.last += len(todo)
    counter.save(update_fields=["last"])
    invoices = Invoice.objects.bulk_create(
        _new_invoice(
            item,
            number=number_of(regie, counter.year, first + offset),
            sequence=first + offset,
            at=at,
            by=by,
        )
        for offset, item in enumerate(todo)
    )
    InvoiceLine.objects.bulk_create(
        line for invoice, item in zip(invoices, todo, strict=True) for line in _lines(invoice, item)
    )
    return invoices


def issue_invoices(*, month: date, by=None, at: datetime | None = None) -> IssueReport:
    """Phase 1: the numbers and lines of the month's invoices still missing, written by
    chunks of CHUNK families of one régie, each chunk in its own transaction."""
    at = at or timezone.now()
    loaded = _Month(month)
    report = IssueReport(month=loaded.start)
    year = timezone.localdate(at).year
    for regie in {r.pk: r for r in loaded.regies.values()}.values():
        ensure_counter(regie, year)
    for batch in _iter_drafts(loaded, None):
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
    from .payments import apply_credits, families_with_credit  # payments imports this module

    invoiced = Invoice.objects.filter(period=period, kind=InvoiceKind.INVOICE).values("family_id")
    return apply_credits(families_with_credit(family_ids=invoiced))


def issue(*, month: date, by=None, at: datetime | None = None, workers: int = 2) -> IssueReport:
    """The whole run for a month: invoices, then their PDFs, then the families are told.

    Each phase picks up where an interrupted run left off."""
    report = issue_invoices(month=month, by=by, at=at)
    report.pdfs = render_pending(workers=workers)
    report.notified = notify_pending(at=at)
    return report
