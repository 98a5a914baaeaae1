"""« Payer en ligne »: the parent's button, PayFiP's two calls back, and the outcome page.

PayFiP calls back on addresses carrying the transaction's random token; they need no
login (the notification comes from PayFiP's servers, and a cross-site return does not
bring the session cookie), change nothing by themselves and only make the portal ask
PayFiP. The outcome page is the family's own: another family's token is a 404.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import parent_required
from messaging.services import absolute_url

from . import online
from .models import Invoice, OnlineTransaction
from .receipts import receipt_context

logger = logging.getLogger(__name__)


@parent_required
@require_POST
def pay(request: HttpRequest, pk: int) -> HttpResponse:
    """Start paying invoice `pk` and send the parent to PayFiP's page."""

    def absolute(name: str):
        # PayFiP's servers call these: the portal's public address when it is configured.
        def url(token) -> str:
            path = reverse(name, args=[token])
            return absolute_url(path) if settings.PORTAL_URL else request.build_absolute_uri(path)

        return url

    try:
        started = online.start(
            family=request.user.family,
            invoice_pk=pk,
            user=request.user,
            notify_url=absolute("billing:online_notify"),
            return_url=absolute("billing:online_return"),
        )
    except Invoice.DoesNotExist:
        raise Http404 from None
    except online.OnlinePaymentError as error:
        messages.error(request, str(error))
        return redirect("billing:invoice", pk)
    return redirect(started.payment_url)


def _transaction(token) -> OnlineTransaction:
    return get_object_or_404(OnlineTransaction.objects.select_related("invoice"), token=token)


@csrf_exempt
@require_POST
def notify(request: HttpRequest, token) -> HttpResponse:
    """PayFiP's server-to-server notification (form body `idOp=…`)."""
    transaction = _transaction(token)
    idop = request.POST.get("idOp") or request.POST.get("idop")
    if idop and idop != transaction.idop:
        logger.warning("Notification PayFiP pour %s avec l'idOp %s", transaction.idop, idop)
        return HttpResponse("idOp inconnu\n", status=400, content_type="text/plain")
    online.confirm(transaction)
    return HttpResponse("ok\n", content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def come_back(request: HttpRequest, token) -> HttpResponse:
    """The parent's return from PayFiP (`urlredirect`): ask PayFiP, then show the outcome
    through a GET, which brings the session cookie back."""
    online.confirm(_transaction(token))
    return redirect("billing:online_outcome", token, permanent=False)


@parent_required
@require_GET
def outcome(request: HttpRequest, token) -> HttpResponse:
    transaction = get_object_or_404(
        OnlineTransaction.objects.select_related("invoice__regie", "payment"),
        token=token,
        family_id=request.user.family_id,
    )
    return render(
        request,
        "billing/online_outcome.html",
        {
            "transaction": transaction,
            "receipt": transaction.payment and receipt_context(transaction.payment),
        },
    )
