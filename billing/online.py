"""Paying an invoice online through PayFiP (the treasury's service, ex-TIPI).

1. `start()`: the parent asks to pay an invoice; the amount is what the invoice still
   asks for (never a figure from the browser); PayFiP's `creerPaiementSecurise` gives an
   idOp and the parent goes to PayFiP's page with it.
2. PayFiP tells us the parent came back (`urlredirect`) and, separately, notifies us
   server to server (`urlnotif`). Either may come first, twice, or never: both only call
   `confirm()`, which asks PayFiP itself (`recupererDetailPaiementSecurise`) and records
   what it answers. `check_pending_payments` (cron) calls `confirm()` on the transactions
   nobody came back for.
3. A paid transaction becomes exactly one Payment (the transaction row is locked, and
   the payment's transaction id is unique in the database); its receipt goes to the
   family's inbox and mailbox. A refused, abandoned or expired one leaves the invoice
   payable again.

eopayment's `payfip_ws` backend speaks to PayFiP; only its service and payment page
addresses come from the settings (PAYFIP_SERVICE_URL, PAYFIP_PAYMENT_URL), which is how
the simulator is reached in development.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from eopayment import CANCELLED, DENIED, EXPIRED, PAID, WAITING
from eopayment.payfip_ws import PayFiPError
from eopayment.payfip_ws import Payment as PayfipBackend

from accounts.models import Family
from portail.lib.formats import euros

from .models import FINISHED, Invoice, InvoiceKind, Method, OnlineTransaction, TransactionState
from .payfip_client import payfip_client, payment_page_url
from .payments import PaymentError, record_payment
from .queries import outstanding, with_amounts
from .receipts import send_receipt

logger = logging.getLogger(__name__)

PARIS = ZoneInfo("Europe/Paris")
MINIMUM = Decimal("1.00")  # PayFiP refuses less
# An idOp can be paid for 15 minutes: a second « Payer » within that time goes back to
# the same PayFiP page instead of opening a second payment of the same invoice.
IDOP_LIFETIME = timedelta(minutes=15)


class OnlinePaymentError(Exception):
    """Why a payment cannot start: the message is shown to the parent as it is."""


@dataclass(frozen=True)
class Started:
    transaction: OnlineTransaction
    payment_url: str


def _backend(transaction_: OnlineTransaction, *, notify_url: str = "", return_url: str = ""):
    backend = PayfipBackend(
        {
            "numcli": transaction_.numcli,
            "saisie": transaction_.saisie,
            "normal_return_url": return_url,
            "automatic_return_url": notify_url,
        }
    )
    backend.payfip = payfip_client(timeout=settings.PAYFIP_TIMEOUT)
    return backend


def payer_email(family: Family, user) -> str:
    """PayFiP sends its own ticket to this address and requires one."""
    return (getattr(user, "email", "") or family.email or "").strip()


def payable_invoice(family_id: int, invoice_pk: int) -> Invoice:
    """The family's invoice with what it still asks for, locked; Invoice.DoesNotExist for
    anything else (another family's, a credit note)."""
    return (
        with_amounts(Invoice.objects.for_family(family_id).filter(kind=InvoiceKind.INVOICE))
        .select_related("regie", "family")
        .select_for_update(of=("self",))
        .get(pk=invoice_pk)
    )


def _reusable(invoice: Invoice, now: datetime) -> OnlineTransaction | None:
    """A transaction of the invoice PayFiP can still take: started less than 15 minutes
    ago for what the invoice still asks, and not answered yet."""
    return (
        OnlineTransaction.objects.filter(
            invoice=invoice,
            amount=invoice.remaining,
            state=TransactionState.PENDING,
            resultrans="",
            idop__isnull=False,
            created_at__gt=now - IDOP_LIFETIME,
        )
        .order_by("-created_at")
        .first()
    )


def start(*, family: Family, invoice_pk: int, user, notify_url, return_url) -> Started:
    """Open a PayFiP payment of what the invoice still asks for.

    `notify_url(token)` and `return_url(token)` give the absolute addresses PayFiP calls.
    The invoice row stays locked during the call to PayFiP, so two tabs paying the same
    invoice end on the same idOp. Raises Invoice.DoesNotExist (→ 404) or
    OnlinePaymentError.
    """
    with transaction.atomic():
        invoice = payable_invoice(family.pk, invoice_pk)
        regie = invoice.regie
        if not regie.accepts_online_payment:
            raise OnlinePaymentError(
                f"La régie « {regie.name} » ne propose pas le paiement en ligne : "
                "réglez cette facture par chèque ou au guichet."
            )
        if invoice.remaining <= 0:
            raise OnlinePaymentError(f"La facture {invoice.number} est déjà réglée.")
        if invoice.remaining < MINIMUM:
            raise OnlinePaymentError(
                f"Le paiement en ligne n'accepte pas moins de {euros(MINIMUM)} : "
                f"réglez les {euros(invoice.remaining)} restants au guichet."
            )
        now = timezone.now()
        if previous := _reusable(invoice, now):
            return Started(previous, payment_page_url(previous.idop))
        email = payer_email(family, user)
        if not email:
            raise OnlinePaymentError(
                "PayFiP demande une adresse e-mail : ajoutez-en une à votre compte "
                "(Mon compte), puis réessayez."
            )
        online = OnlineTransaction.objects.create(
            regie=regie,
            family=family,
            invoice=invoice,
            amount=invoice.remaining,
            email=email,
            numcli=regie.payfip_numcli,
            saisie=settings.PAYFIP_SAISIE or regie.payfip_saisie,
            exer=str(invoice.year),
            refdet=invoice.number,
            started_by=user,
        )
        backend = _backend(
            online, notify_url=notify_url(online.token), return_url=return_url(online.token)
        )
        try:
            idop, _kind, _url = backend.request(
                online.amount,
                email=email,
                refdet=online.refdet,
                exer=online.exer,
                subject=f"Facture {invoice.number}",
            )
        except (PayFiPError, ValueError) as error:
            logger.error("PayFiP n'a pas ouvert le paiement de %s : %r", invoice.number, error)
            transaction.set_rollback(True)
            raise OnlinePaymentError(
                "Le paiement en ligne est momentanément indisponible. "
                "Réessayez dans quelques minutes, ou réglez par un autre moyen."
            ) from error
        online.idop = idop
        online.save(update_fields=["idop"])
    return Started(online, payment_page_url(idop))


# --- the outcome, always read from PayFiP ----------------------------------------------------

OUTCOMES = {
    DENIED: TransactionState.REFUSED,
    CANCELLED: TransactionState.ABANDONED,
    EXPIRED: TransactionState.EXPIRED,
}


def _paid_at(detail: dict) -> datetime | None:
    try:
        naive = datetime.strptime(f"{detail['dattrans']}{detail['heurtrans']}", "%d%m%Y%H%M")
    except (KeyError, TypeError, ValueError):
        return None
    return naive.replace(tzinfo=PARIS)


def _mismatch(online: OnlineTransaction, detail: dict) -> str:
    """What, in PayFiP's answer, does not match what was asked; '' when all does."""
    expected = {
        "montant": str(int(online.amount * 100)),
        "refdet": online.refdet,
        "numcli": online.numcli,
        "idOp": online.idop,
    }
    for field, value in expected.items():
        got = str(detail.get(field) or "").strip()
        if field == "montant" and got.isdigit():
            got = str(int(got))  # « 001250 » is 12,50 €
        if got != value:
            return f"{field} : attendu {value}, reçu {got or '(vide)'}"
    return ""


def _plain(detail: dict) -> dict:
    return {key: (None if value is None else str(value)) for key, value in detail.items()}


def confirm(online: OnlineTransaction) -> OnlineTransaction:
    """Ask PayFiP how the transaction ended and record it, once. Safe to call any number
    of times, from anywhere, at once: PayFiP is asked outside any lock, then the row is
    locked and only a still-pending transaction changes."""
    if online.state in FINISHED or not online.idop:
        return online
    try:
        response = _backend(online).payment_status(online.idop, transaction_date=online.created_at)
    except PayFiPError as error:
        logger.warning("PayFiP n'a pas répondu pour %s : %r", online.idop, error)
        OnlineTransaction.objects.filter(pk=online.pk).update(checked_at=timezone.now())
        return online
    detail = _plain(response.bank_data or {})
    with transaction.atomic():
        online = OnlineTransaction.objects.select_for_update().get(pk=online.pk)
        online.checked_at = timezone.now()
        if online.state in FINISHED:
            return online
        if detail:
            online.detail = detail
            online.resultrans = (detail.get("resultrans") or "")[:2]
        if response.result == PAID:
            _record(online, detail)
        elif response.result in OUTCOMES:
            online.state = OUTCOMES[response.result]
            online.finished_at = online.checked_at
        elif response.result != WAITING:
            logger.error("Réponse PayFiP inattendue pour %s : %r", online.idop, detail)
        online.save()
    if online.payment_id and online.state == TransactionState.PAID:
        payment = online.payment
        transaction.on_commit(lambda: send_receipt(payment))
    return online


def _record(online: OnlineTransaction, detail: dict) -> None:
    online.finished_at = online.checked_at
    if problem := _mismatch(online, detail):
        online.state = TransactionState.REJECTED
        online.error = f"Réponse PayFiP incohérente ({problem})"[:300]
        logger.error("Paiement PayFiP %s rejeté : %s", online.idop, online.error)
        return
    online.numauto = (detail.get("numauto") or "")[:20]
    # PayFiP's minute, never later than our own clock (its clock may run ahead).
    online.paid_at = min(_paid_at(detail) or online.checked_at, online.checked_at)
    try:
        online.payment = _record_payment(online)
    except PaymentError as error:
        online.state = TransactionState.REJECTED
        online.error = f"Paiement non enregistré : {'; '.join(error.messages)}"[:300]
        logger.error("Paiement PayFiP %s non enregistré : %s", online.idop, online.error)
        return
    online.state = TransactionState.PAID


def _record_payment(online: OnlineTransaction):
    return record_payment(
        regie=online.regie,
        family=online.family,
        method=Method.ONLINE,
        amount=online.amount,
        received_at=online.paid_at,
        reference=f"PayFiP {online.idop}",
        transaction_id=online.idop,
        authorisation_number=online.numauto,
        invoices=[online.invoice],
        # Paid meanwhile at the desk? The money is taken anyway: it settles what else is
        # open, or stays on the account as a credit.
        settled_ok=True,
    )


def check_pending(*, older_than: timedelta = timedelta(minutes=2), dry_run: bool = False):
    """The cron's part: every pending transaction nobody came back for, oldest first."""
    pending = OnlineTransaction.objects.filter(
        state=TransactionState.PENDING,
        idop__isnull=False,
        created_at__lt=timezone.now() - older_than,
    ).order_by("created_at")
    if dry_run:
        return list(pending)
    return [confirm(online) for online in pending.iterator()]


def payable_invoices(family_id: int) -> list[Invoice]:
    """One query: the family's invoices that still ask for money, nearest due date first."""
    return list(
        outstanding(Invoice.objects.for_family(family_id))
        .select_related("regie")
        .order_by("due_date", "pk")
    )
