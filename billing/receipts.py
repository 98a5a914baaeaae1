"""The receipt of a payment — the seed's « ticket de paiement récapitulatif »: on screen
(`receipt_context` with the partial billing/_receipt.html), as a PDF (`receipt_pdf`) and
in the family's inbox with the PDF attached (`send_receipt`).

A receipt is made from the payment as it was recorded, which never changes: it can be
printed again at any time and always says the same.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from messaging.models import Kind, Message
from messaging.services import Attachment, notify
from portail.lib.formats import euros, long_date, month_label
from portail.lib.pdf import render_pdf

from .invoicing import payer_of
from .models import ZERO, Method, Payment

TEMPLATE = "billing/receipt_pdf.html"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settled:
    number: str
    period: str
    amount: Decimal
    invoice_id: int


def receipt_link(payment: Payment) -> str:
    return reverse("billing:receipt_pdf", args=[payment.pk])


def receipt_filename(payment: Payment) -> str:
    return f"recu-{payment.receipt_number}.pdf"


def method_details(payment: Payment) -> list[tuple[str, str]]:
    """What identifies the payment besides its amount, by method."""
    details = []
    if payment.method == Method.CHEQUE:
        details += [("N° de chèque", payment.reference), ("Banque", payment.bank)]
    elif payment.method == Method.ONLINE:
        details += [
            ("N° d'autorisation", payment.authorisation_number),
            ("Référence de la transaction", payment.transaction_id),
        ]
    elif payment.reference:
        details.append(("Référence", payment.reference))
    if payment.method != Method.CHEQUE and payment.bank:
        details.append(("Banque", payment.bank))
    return [(label, value) for label, value in details if value]


def receipt_context(payment: Payment) -> dict:
    """Everything the receipt shows, for the PDF and for a page alike (three queries)."""
    payment = (
        Payment.objects.select_related("regie", "family__billing_guardian")
        .prefetch_related("allocations__invoice")
        .get(pk=payment.pk)
    )
    settled = sorted(
        (
            Settled(a.invoice.number, month_label(a.invoice.period), a.amount, a.invoice_id)
            for a in payment.allocations.all()
        ),
        key=lambda item: item.number,
    )
    credit = payment.amount - sum((item.amount for item in settled), ZERO)
    received = timezone.localtime(payment.received_at)
    return {
        "payment": payment,
        "regie": payment.regie,
        "commune_name": settings.COMMUNE_NAME,
        "commune_address": settings.COMMUNE_ADDRESS,
        "family": payment.family,
        "payer": payer_of(payment.family),
        "received_day": long_date(received.date()),
        "received_time": f"{received:%H:%M}",
        "method": payment.get_method_display(),
        "details": method_details(payment),
        "amount": euros(payment.amount),
        "settled": [(item, euros(item.amount)) for item in settled],
        "credit": euros(credit) if credit > 0 and not payment.is_cancelled else "",
        "cancelled": _cancelled(payment),
    }


def _cancelled(payment: Payment) -> str:
    """« Paiement annulé le … : motif », or '' for a payment that stands."""
    if not payment.is_cancelled:
        return ""
    day = long_date(timezone.localdate(payment.cancelled_at))
    return f"Paiement annulé le {day} : {payment.cancel_reason}"


def receipt_pdf(payment: Payment) -> bytes:
    return render_pdf(TEMPLATE, receipt_context(payment))


def send_receipt(payment: Payment, *, at: datetime | None = None) -> Message | None:
    """The receipt in the family's inbox, its PDF attached, and by e-mail (queued), dated
    `at` (now by default). The payment stands whatever happens here: a failure is logged,
    and the receipt can still be downloaded from the statement."""
    try:
        return _send_receipt(payment, at=at)
    except Exception:  # noqa: BLE001 — called after the payment is committed
        logger.exception("Reçu du paiement %s non envoyé", payment.receipt_number)
        return None


def _send_receipt(payment: Payment, *, at: datetime | None) -> Message:
    context = receipt_context(payment)
    payment = context["payment"]
    numbers = ", ".join(item.number for item, _ in context["settled"])
    body = (
        f"Nous avons bien reçu votre paiement de {context['amount']} ({context['method']}) "
        f"le {context['received_day']} à {context['received_time']}.\n"
        f"Reçu n° {payment.receipt_number}."
    )
    if numbers:
        body += f"\nFacture(s) réglée(s) : {numbers}."
    if context["credit"]:
        body += (
            f"\n{context['credit']} restent au crédit de votre compte : ils régleront vos "
            "prochaines factures."
        )
    body += "\nLe ticket de paiement récapitulatif est joint à ce message."
    return notify(
        payment.family,
        Kind.PAYMENT,
        f"Reçu de paiement {payment.receipt_number} : {context['amount']}",
        body,
        link=receipt_link(payment),
        link_label="Télécharger le reçu",
        sender=payment.regie.name,
        attachments=[Attachment(receipt_filename(payment), render_pdf(TEMPLATE, context))],
        at=at,
    )
