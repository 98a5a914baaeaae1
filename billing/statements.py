"""The family's account, as the seed shows it.

`statement()` is the « Relevé des opérations » of one school year: the « Ancien Solde »
carried from everything before the year's start, the year's invoices (Débit), credit
notes and payments (Crédit) in date order, and the « Solde du Compte pour l'année
scolaire ». `account_summary()` is the « Informations compte » block of the home page.

A positive balance is what the family owes; a negative one is in its favour. Sums are
made by the database; a statement costs the same few queries whatever the family's
history.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Family
from portail.lib.formats import month_label
from reservations.models import SchoolYear

from .models import ZERO, Invoice, InvoiceKind, Method, Payment
from .queries import MONEY, NOTHING, outstanding


@dataclass(frozen=True)
class Operation:
    number: str  # « N° Opération »: the invoice's or the receipt's number
    day: date
    description: str
    rule: str  # « Règle »: how a payment was made
    debit: Decimal | None
    credit: Decimal | None
    invoice_id: int | None = None  # the invoice or credit note the line opens
    payment_id: int | None = None  # … or the payment, whose receipt it opens

    @property
    def is_payment(self) -> bool:
        return self.invoice_id is None


@dataclass(frozen=True)
class Statement:
    school_year: SchoolYear
    opening: Decimal  # « Ancien Solde »
    operations: list[Operation]

    @property
    def total_debit(self) -> Decimal:
        return sum((op.debit for op in self.operations if op.debit is not None), ZERO)

    @property
    def total_credit(self) -> Decimal:
        return sum((op.credit for op in self.operations if op.credit is not None), ZERO)

    @property
    def closing(self) -> Decimal:
        """« Solde du Compte pour l'année scolaire »."""
        return self.opening + self.total_debit - self.total_credit


@dataclass(frozen=True)
class Dues:
    due: Decimal  # what the issued invoices still ask for
    overdue: Decimal  # … of which the due date has passed
    next_due_date: date | None  # the nearest due date to come
    next_due_amount: Decimal  # … and what is to be paid by then

    @property
    def later(self) -> Decimal:
        """What falls due after the next due date."""
        return self.due - self.overdue - self.next_due_amount


@dataclass(frozen=True)
class Summary(Dues):
    balance: Decimal  # « Solde du compte », all years
    has_invoices: bool


def midnight(day: date) -> datetime:
    """The first instant of a day in the town hall's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def describe(invoice: dict) -> str:
    """The line's « Description », from the values `statement()` reads."""
    if invoice["kind"] == InvoiceKind.CREDIT_NOTE:
        detail = invoice["reason"] or invoice["regie__name"]
        return f"Avoir sur la facture {invoice['credited_invoice__number']} — {detail}"
    return f"Facture {month_label(invoice['period'])} — {invoice['regie__name']}"


def _ledger(family_id: int, *, before: datetime | None = None) -> dict:
    """One query: debits minus credits of the family (before a moment, if given), and
    whether it ever had an invoice."""
    invoices = Invoice.objects.filter(family_id=OuterRef("pk"))
    payments = Payment.objects.filter(family_id=OuterRef("pk"))
    cancelled = payments.filter(cancelled_at__isnull=False)
    if before is not None:
        invoices = invoices.filter(issued_at__lt=before)
        payments = payments.filter(received_at__lt=before)
        cancelled = cancelled.filter(cancelled_at__lt=before)
    signed = Case(When(kind=InvoiceKind.CREDIT_NOTE, then=-F("total")), default=F("total"))
    invoiced = invoices.order_by().values("family_id").annotate(s=Sum(signed)).values("s")
    paid = payments.order_by().values("family_id").annotate(s=Sum("amount")).values("s")
    unpaid = cancelled.order_by().values("family_id").annotate(s=Sum("amount")).values("s")
    return (
        Family.objects.filter(pk=family_id)
        .values(
            # A cancelled payment is a credit on the day it came and a debit on the day it
            # was cancelled: both lines show on the statement.
            balance=Coalesce(Subquery(invoiced, output_field=MONEY), NOTHING)
            - Coalesce(Subquery(paid, output_field=MONEY), NOTHING)
            + Coalesce(Subquery(unpaid, output_field=MONEY), NOTHING),
            has_invoices=Exists(Invoice.objects.filter(family_id=OuterRef("pk"))),
        )
        .get()
    )


def statement(*, family: Family, school_year: SchoolYear) -> Statement:
    """Three queries: the opening balance, the year's invoices, the year's payments."""
    start, end = midnight(school_year.start), midnight(school_year.end + timedelta(days=1))
    opening = _ledger(family.pk, before=start)["balance"]
    invoices = (
        Invoice.objects.filter(family_id=family.pk, issued_at__gte=start, issued_at__lt=end)
        .order_by("issued_at", "pk")
        .values(
            "pk",
            "kind",
            "number",
            "period",
            "issued_at",
            "total",
            "reason",
            "regie__name",
            "credited_invoice__number",
        )
    )
    # The payments received in the year, and those cancelled in it (a debit, on its day).
    payments = (
        Payment.objects.filter(family_id=family.pk)
        .filter(
            Q(received_at__gte=start, received_at__lt=end)
            | Q(cancelled_at__gte=start, cancelled_at__lt=end)
        )
        .order_by("received_at", "pk")
        .values(
            "pk",
            "method",
            "amount",
            "received_at",
            "receipt_number",
            "regie__name",
            "cancelled_at",
            "cancel_reason",
        )
    )
    dated: list[tuple[datetime, int, Operation]] = []
    for invoice in invoices:
        credit_note = invoice["kind"] == InvoiceKind.CREDIT_NOTE
        operation = Operation(
            number=invoice["number"],
            day=timezone.localdate(invoice["issued_at"]),
            description=describe(invoice),
            rule="",
            debit=None if credit_note else invoice["total"],
            credit=invoice["total"] if credit_note else None,
            invoice_id=invoice["pk"],
        )
        dated.append((invoice["issued_at"], 1 if credit_note else 0, operation))
    for payment in payments:
        rule = Method(payment["method"]).label
        if start <= payment["received_at"] < end:
            operation = Operation(
                number=payment["receipt_number"],
                day=timezone.localdate(payment["received_at"]),
                description=f"Règlement — {payment['regie__name']}",
                rule=rule,
                debit=None,
                credit=payment["amount"],
                payment_id=payment["pk"],
            )
            dated.append((payment["received_at"], 2, operation))
        cancelled_at = payment["cancelled_at"]
        if cancelled_at is not None and start <= cancelled_at < end:
            operation = Operation(
                number=payment["receipt_number"],
                day=timezone.localdate(cancelled_at),
                description=(
                    f"Annulation du règlement {payment['receipt_number']} — "
                    f"{payment['cancel_reason']}"
                ),
                rule=rule,
                debit=payment["amount"],
                credit=None,
                payment_id=payment["pk"],
            )
            dated.append((cancelled_at, 3, operation))
    dated.sort(key=lambda item: (item[0], item[1]))
    return Statement(school_year=school_year, opening=opening, operations=[op for *_, op in dated])


def dues(*, family: Family, today: date) -> Dues:
    """One query: what the unpaid invoices ask for, summed by due date."""
    by_due_date = dict(
        outstanding(Invoice.objects.for_family(family.pk))
        .order_by()
        .values("due_date")
        .annotate(amount=Sum("remaining"))
        .values_list("due_date", "amount")
    )
    return _dues(by_due_date, today)


def dues_of(invoices: list[Invoice], *, today: date) -> Dues:
    """The same, from the outstanding invoices already read (annotated with `remaining`)."""
    by_due_date: dict[date, Decimal] = {}
    for invoice in invoices:
        by_due_date[invoice.due_date] = by_due_date.get(invoice.due_date, ZERO) + invoice.remaining
    return _dues(by_due_date, today)


def _dues(by_due_date: dict[date, Decimal], today: date) -> Dues:
    next_due_date = min((day for day in by_due_date if day >= today), default=None)
    return Dues(
        due=sum(by_due_date.values(), ZERO),
        overdue=sum((amount for day, amount in by_due_date.items() if day < today), ZERO),
        next_due_date=next_due_date,
        next_due_amount=by_due_date.get(next_due_date, ZERO),
    )


def account_summary(
    *, family: Family, today: date, outstanding_invoices: list[Invoice] | None = None
) -> Summary:
    """Two queries: the balance, and the dues — one when the outstanding invoices are
    given (the home page lists them anyway)."""
    ledger = _ledger(family.pk)
    if outstanding_invoices is None:
        owed = dues(family=family, today=today)
    else:
        owed = dues_of(outstanding_invoices, today=today)
    return Summary(
        **vars(owed),
        balance=ledger["balance"],
        has_invoices=ledger["has_invoices"],
    )


def school_years(*, family: Family, today: date) -> list[SchoolYear]:
    """The years the family has operations in, and the current one, latest first."""
    invoices = Invoice.objects.filter(
        family_id=family.pk,
        issued_at__date__gte=OuterRef("start"),
        issued_at__date__lte=OuterRef("end"),
    )
    payments = Payment.objects.filter(
        family_id=family.pk,
        received_at__date__gte=OuterRef("start"),
        received_at__date__lte=OuterRef("end"),
    )
    return list(
        SchoolYear.objects.filter(
            Q(start__lte=today, end__gte=today) | Exists(invoices) | Exists(payments)
        ).order_by("-start")
    )


@dataclass(frozen=True)
class YearChoice:
    years: list[SchoolYear]  # the selector's options, latest first
    chosen: SchoolYear | None
    error: str = ""


def choose_year(*, family: Family, name: str, today: date) -> YearChoice:
    """The year asked by name (any year, even one without operations), else the current
    one, else the latest with operations; and an error to show if the name matched none."""
    years = school_years(family=family, today=today)
    error = ""
    if name:
        chosen = next((y for y in years if y.name == name), None)
        if chosen is None and (chosen := SchoolYear.objects.filter(name=name).first()):
            years = sorted([*years, chosen], key=lambda y: y.start, reverse=True)
        if chosen:
            return YearChoice(years, chosen)
        error = f"L'année scolaire « {name[:20]} » n'existe pas."
    current = next((y for y in years if today in y), None)
    return YearChoice(years, current or (years[0] if years else None), error)
