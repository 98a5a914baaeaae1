"""Recording a payment: the one way money comes in, at the cash desk or through PayFiP.

`record_payment(...)` checks what it is given, numbers the receipt in the régie's
receipt series (`billing.numbering`, gap-free per régie and year) and allocates the
amount to the family's invoices of that régie — those chosen, in their order, or the
oldest due first — each up to what it still asks for. What is left is a credit on the
family's account, and `apply_credit(...)` puts such credit on invoices issued later (the
invoice run calls it).

No double payment: whoever allocates first locks every invoice the family has at the
régie, in one order, and only allocates to invoices it holds; a second cashier, or PayFiP
at the same moment, waits and then sees what the first one did.

CESU (chèques emploi service universel) only pay for childcare: a CESU payment is placed
on the invoices' lines marked `cesu_eligible` at issue, never on the canteen, and is
refused whole when it cannot be placed entirely — no CESU credit is left floating.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from messaging.models import Kind
from messaging.services import notify
from portail.lib.formats import euros

from .models import (
    ZERO,
    Allocation,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Method,
    Payment,
    Regie,
    RegieActivity,
)
from .numbering import Document, next_number
from .queries import MONEY, NOTHING, with_amounts

LARGEST = Decimal("99999999.99")  # what Payment.amount can hold
CLOCK_SKEW = timedelta(minutes=5)


class PaymentError(ValidationError):
    """Input that cannot be recorded; the message is for the cashier or the parent."""


@dataclass
class _Open:
    """An invoice the family holds at the régie, as the allocation sees it."""

    invoice: Invoice
    remaining: Decimal  # what it still asks for
    cesu_room: Decimal  # … of which CESU may still pay

    def room(self, method: str) -> Decimal:
        return min(self.remaining, self.cesu_room) if method == Method.CESU else self.remaining


# --- checks ------------------------------------------------------------------------------


def _amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise PaymentError("Le montant n'est pas un nombre.") from None
    if not amount.is_finite() or amount <= 0:
        raise PaymentError("Le montant doit être supérieur à zéro.")
    if amount != amount.quantize(Decimal("0.01")):
        raise PaymentError("Le montant se donne au centime près (deux décimales au plus).")
    if amount > LARGEST:
        raise PaymentError("Le montant est trop grand.")
    return amount.quantize(Decimal("0.01"))


def _check_method(method: str, *, reference: str, bank: str, transaction_id: str) -> None:
    if method not in Method.values:
        raise PaymentError("Mode de paiement inconnu.")
    if method == Method.CHEQUE and not (reference and bank):
        raise PaymentError("Pour un chèque, indiquez son numéro et sa banque.")
    if method == Method.ONLINE and not transaction_id:
        raise PaymentError("Un paiement en ligne s'enregistre avec son n° de transaction.")


def cesu_scope(regie: Regie) -> str:
    """What CESU pay for at this régie, in words: « Garderie soir et ALSH vacances (moins
    de 6 ans) »."""
    links = (
        RegieActivity.objects.filter(regie=regie, accepts_cesu=True)
        .select_related("activity")
        .order_by("activity__position", "activity__name")
    )
    names = [
        f"{link.activity.name} (moins de {link.cesu_age_limit} ans)"
        if link.cesu_age_limit
        else link.activity.name
        for link in links
    ]
    if len(names) > 1:
        return f"{', '.join(names[:-1])} et {names[-1]}"
    return names[0] if names else ""


def _cesu_refusal(regie: Regie, candidates: Sequence[_Open]) -> PaymentError:
    scope = cesu_scope(regie)
    if not scope:
        return PaymentError(f"La régie « {regie.name} » n'accepte pas les CESU.")
    payable = [item for item in candidates if item.room(Method.CESU) > 0]
    if not payable:
        where = (
            "aucune facture à régler ne comporte ces prestations"
            if candidates
            else "aucune facture n'est à régler"
        )
        return PaymentError(f"Les CESU ne règlent que : {scope}. Ici, {where}.")
    most = sum((item.room(Method.CESU) for item in payable), ZERO)
    numbers = ", ".join(item.invoice.number for item in payable)
    which = "les factures" if len(payable) > 1 else "la facture"
    return PaymentError(
        f"Les CESU ne règlent que : {scope}. Au plus {euros(most)} en CESU sur {which} {numbers}."
    )


# --- what the family's invoices still ask for ----------------------------------------------


def _lock_invoices(*, family_id: int, regie: Regie) -> list[int]:
    """Lock every invoice (and credit note) of the family at the régie, in one order."""
    return list(
        Invoice.objects.select_for_update()
        .filter(regie=regie, family_id=family_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _open_invoices(ids: Iterable[int], *, cesu: bool) -> dict[int, _Open]:
    """The invoices among `ids` (locked by the caller) with what each still asks for."""
    invoices = with_amounts(Invoice.objects.filter(pk__in=list(ids), kind=InvoiceKind.INVOICE))
    found = {
        invoice.pk: _Open(invoice, invoice.remaining, ZERO)
        for invoice in invoices.order_by("due_date", "issued_at", "pk")
    }
    if cesu and found:
        eligible = dict(
            InvoiceLine.objects.filter(invoice_id__in=list(found), cesu_eligible=True)
            .values("invoice_id")
            .annotate(s=Sum("amount"))
            .values_list("invoice_id", "s")
        )
        by_cesu = dict(
            Allocation.objects.standing()
            .filter(invoice_id__in=list(found), payment__method=Method.CESU)
            .values("invoice_id")
            .annotate(s=Sum("amount"))
            .values_list("invoice_id", "s")
        )
        for pk, item in found.items():
            item.cesu_room = max(eligible.get(pk, ZERO) - by_cesu.get(pk, ZERO), ZERO)
    return found


def _place(amount: Decimal, method: str, targets: Iterable[_Open]) -> list[tuple[_Open, Decimal]]:
    """Split `amount` over the targets in order, each up to its room; updates the rooms."""
    placed = []
    for item in targets:
        if amount <= 0:
            break
        share = min(amount, item.room(method))
        if share <= 0:
            continue
        placed.append((item, share))
        item.remaining -= share
        if method == Method.CESU:
            item.cesu_room -= share
        amount -= share
    return placed


def _chosen(
    invoices: Sequence, *, family, regie: Regie, found: dict[int, _Open], settled_ok: bool
) -> list[_Open]:
    chosen: list[_Open] = []
    kinds = dict(
        Invoice.objects.filter(pk__in=[_pk(i) for i in invoices]).values_list("pk", "kind")
    )
    for invoice in invoices:
        pk = _pk(invoice)
        if pk not in kinds:
            raise PaymentError("Une des factures choisies n'existe pas.")
        if pk not in found:
            other = Invoice.objects.filter(pk=pk).values("number", "family_id", "regie_id").get()
            if other["family_id"] != family.pk:
                raise PaymentError(
                    f"La facture {other['number']} n'est pas celle de la famille {family.name}."
                )
            if kinds[pk] == InvoiceKind.CREDIT_NOTE:
                raise PaymentError(f"{other['number']} est un avoir : il ne se paie pas.")
            raise PaymentError(
                f"La facture {other['number']} n'est pas de la régie « {regie.name} »."
            )
        if found[pk].remaining <= 0:
            if settled_ok:
                continue
            raise PaymentError(f"La facture {found[pk].invoice.number} est déjà réglée.")
        if found[pk] not in chosen:
            chosen.append(found[pk])
    return chosen


def _pk(invoice) -> int:
    return invoice.pk if isinstance(invoice, Invoice) else int(invoice)


# --- the services ----------------------------------------------------------------------------


def record_payment(
    *,
    regie: Regie,
    family,
    method: str,
    amount,
    received_at: datetime | None = None,
    reference: str = "",
    bank: str = "",
    transaction_id: str = "",
    authorisation_number: str = "",
    invoices: Sequence[Invoice | int] | None = None,
    settled_ok: bool = False,
    recorded_by=None,
) -> Payment:
    """Record a payment, give it its receipt number and allocate it; PaymentError (in
    French) on invalid input, and then nothing is recorded.

    `settled_ok`: a chosen invoice settled meanwhile is passed over instead of refused —
    for money already taken (PayFiP), which then settles what else is open or stays as
    a credit."""
    amount = _amount(amount)
    reference, bank = reference.strip(), bank.strip()
    transaction_id, authorisation_number = transaction_id.strip(), authorisation_number.strip()
    _check_method(method, reference=reference, bank=bank, transaction_id=transaction_id)
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        received_at = timezone.make_aware(received_at)
    if received_at > now + CLOCK_SKEW:
        raise PaymentError("La date de réception ne peut pas être dans le futur.")
    year = timezone.localdate(received_at).year
    with transaction.atomic():
        locked = _lock_invoices(family_id=family.pk, regie=regie)
        if transaction_id:
            twin = Payment.objects.filter(transaction_id=transaction_id).first()
            if twin is not None:
                raise PaymentError(
                    f"Cette transaction est déjà enregistrée (reçu {twin.receipt_number})."
                )
        found = _open_invoices(locked, cesu=method == Method.CESU)
        if invoices is None:
            targets = list(found.values())
        else:
            if not invoices:
                raise PaymentError("Choisissez au moins une facture, ou « les plus anciennes ».")
            targets = _chosen(
                invoices, family=family, regie=regie, found=found, settled_ok=settled_ok
            )
        if method == Method.CESU:
            room = sum((item.room(method) for item in targets), ZERO)
            if amount > room:
                raise _cesu_refusal(regie, targets)
        placed = _place(amount, method, targets)
        receipt = next_number(regie=regie, year=year, document=Document.RECEIPT)
        payment = Payment.objects.create(
            regie=regie,
            family=family,
            method=method,
            amount=amount,
            received_at=received_at,
            reference=reference[:100],
            bank=bank[:100],
            transaction_id=transaction_id,
            authorisation_number=authorisation_number,
            receipt_number=receipt.text,
            recorded_by=recorded_by,
        )
        Allocation.objects.bulk_create(
            Allocation(payment=payment, invoice=item.invoice, amount=share)
            for item, share in placed
        )
        _apply(family_id=family.pk, regie=regie, locked=locked)
    return payment


def _apply(*, family_id: int, regie: Regie, locked: list[int]) -> list[Allocation]:
    """Put the family's unallocated payments (oldest first) on its open invoices (oldest
    due first), the caller holding the locks of `locked`."""
    credits = list(
        Payment.objects.standing()
        .filter(regie=regie, family_id=family_id)
        .annotate(allocated=Coalesce(Sum("allocations__amount"), NOTHING, output_field=MONEY))
        .filter(amount__gt=F("allocated"))
        .order_by("received_at", "pk")
    )
    if not credits or not locked:
        return []
    found = _open_invoices(locked, cesu=any(p.method == Method.CESU for p in credits))
    made = []
    for payment in credits:
        left = payment.amount - payment.allocated
        made += [
            Allocation(payment=payment, invoice=item.invoice, amount=share)
            for item, share in _place(left, payment.method, found.values())
        ]
    return _merge_and_save(made)


def _merge_and_save(allocations: list[Allocation]) -> list[Allocation]:
    """A payment already allocated to an invoice has its allocation raised, not doubled."""
    if not allocations:
        return []
    existing = {
        (a.payment_id, a.invoice_id): a
        for a in Allocation.objects.filter(
            payment_id__in={a.payment_id for a in allocations},
            invoice_id__in={a.invoice_id for a in allocations},
        )
    }
    new = []
    for allocation in allocations:
        known = existing.get((allocation.payment_id, allocation.invoice_id))
        if known is None:
            new.append(allocation)
        else:
            known.amount += allocation.amount
            known.save(update_fields=["amount"])
    Allocation.objects.bulk_create(new)
    return allocations


def apply_credit(*, family, regie: Regie) -> list[Allocation]:
    """Settle the family's open invoices at the régie with its unallocated payments; the
    allocations made (none when there is no credit or nothing to pay)."""
    with transaction.atomic():
        locked = _lock_invoices(family_id=family.pk, regie=regie)
        return _apply(family_id=family.pk, regie=regie, locked=locked)


def families_with_credit(*, family_ids=None) -> list[tuple[int, int]]:
    """(family, régie) pairs with money not yet allocated, in one query; `family_ids` (a
    list or a subquery) narrows the search."""
    payments = Payment.objects.standing()
    if family_ids is not None:
        payments = payments.filter(family_id__in=family_ids)
    return list(
        payments.annotate(
            allocated=Coalesce(Sum("allocations__amount"), NOTHING, output_field=MONEY)
        )
        .filter(amount__gt=F("allocated"))
        .order_by("family_id", "regie_id")
        .values_list("family_id", "regie_id")
        .distinct()
    )


def apply_credits(pairs: Iterable[tuple[int, int]]) -> int:
    """apply_credit for each (family, régie) pair, each in its own transaction; how many
    allocations were made."""
    regies = {regie.pk: regie for regie in Regie.objects.all()}
    made = 0
    for family_id, regie_id in dict.fromkeys(pairs):
        with transaction.atomic():
            locked = _lock_invoices(family_id=family_id, regie=regies[regie_id])
            made += len(_apply(family_id=family_id, regie=regies[regie_id], locked=locked))
    return made


# --- cancelling a payment (bounced cheque, mistake at the desk) ------------------------------


def cancel_payment(*, payment_pk: int, reason: str, by, at: datetime | None = None) -> Payment:
    """Cancel a payment recorded at the desk: it stays on the statement and in the books,
    its cancellation is a debit of the same amount, the invoices it settled are to pay
    again (unless the family's other credit settles them), and the family is told.
    PaymentError (in French) when it cannot be cancelled; nothing changes then."""
    reason = " ".join(reason.split())
    if not reason:
        raise PaymentError(
            "Indiquez le motif de l'annulation (chèque impayé, erreur de saisie…) : "
            "la famille le lira."
        )
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update().select_related("regie", "family").get(pk=payment_pk)
        )
        if payment.is_cancelled:
            raise PaymentError(f"Le paiement {payment.receipt_number} est déjà annulé.")
        if payment.method == Method.ONLINE:
            raise PaymentError(
                "Un paiement en ligne (PayFiP) ne s'annule pas ici : son remboursement passe "
                "par la trésorerie."
            )
        locked = _lock_invoices(family_id=payment.family_id, regie=payment.regie)
        reopened = list(payment.allocations.select_related("invoice").order_by("invoice__number"))
        payment.cancelled_at = at or timezone.now()
        payment.cancelled_by = by
        payment.cancel_reason = reason[:200]
        payment.save(update_fields=["cancelled_at", "cancelled_by", "cancel_reason"])
        _apply(family_id=payment.family_id, regie=payment.regie, locked=locked)
        transaction.on_commit(lambda: _tell_cancelled(payment, reopened))
    return payment


def _tell_cancelled(payment: Payment, reopened: list[Allocation]) -> None:
    body = (
        f"Votre paiement de {euros(payment.amount)} ({payment.get_method_display()}, reçu "
        f"n° {payment.receipt_number}) a été annulé : {payment.cancel_reason}."
    )
    if reopened:
        numbers = ", ".join(allocation.invoice.number for allocation in reopened)
        body += f"\nFacture(s) de nouveau à régler : {numbers}."
    body += "\nLe détail figure dans le relevé des opérations (Factures)."
    notify(
        payment.family,
        Kind.PAYMENT,
        f"Paiement annulé : reçu {payment.receipt_number}",
        body,
        link=reverse("billing:statement"),
        link_label="Voir mes factures",
        sender=payment.regie.name,
    )
