"""The simulated PayFiP: its SOAP service and the payer's page (pay, refuse, abandon)."""

from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from . import portal, soap
from .models import DECISIONS, Result, SimulatedPayment
from .services import (
    PayFiPFault,
    client_details,
    create_payment,
    decide,
    known_payment,
    notify,
    payment_details,
)


def _simulator_enabled() -> None:
    # The URLs are mounted only when the simulator is on; this guards a URLconf that
    # would include them anyway.
    if not settings.PAYFIP_SIMULATOR:
        raise Http404("Simulateur PayFiP désactivé.")


@csrf_exempt
@require_POST
def service(request: HttpRequest) -> HttpResponse:
    """POST /services/securite: one SOAP call, its answer or its fault (HTTP 500, as SOAP 1.1)."""
    _simulator_enabled()
    try:
        call = soap.parse_request(request.body)
    except soap.MalformedRequest as error:
        return _soap_answer(soap.client_fault(str(error)), status=500)
    try:
        values = _perform(call)
    except PayFiPFault as fault:
        body = soap.functional_fault(fault.code, fault.descriptif, fault.libelle)
        return _soap_answer(body, status=500)
    return _soap_answer(soap.response(call.operation, values))


def _perform(call: soap.Request) -> dict[str, str]:
    if call.operation == "creerPaiementSecurise":
        return {"idOp": create_payment(fields=call.fields).idop}
    if call.operation == "recupererDetailClient":
        return client_details(numcli=call.fields["numCli"])
    return payment_details(idop=call.fields["idOp"], at=timezone.now()).details()


def _soap_answer(body: bytes, status: int = 200) -> HttpResponse:
    response = HttpResponse(body, status=status, content_type="text/xml; charset=utf-8")
    # SOAP 1.1 answers a fault with HTTP 500; it is an answer (« P5, in progress »), not a
    # crash, so Django's request logger must not report it as an internal error.
    response._has_been_logged = True
    return response


@require_http_methods(["GET", "POST"])
def payment_page(request: HttpRequest) -> HttpResponse:
    """What PayFiP's paiementws.web?idop= is: the payer decides, once."""
    _simulator_enabled()
    now = timezone.now()
    idop = request.GET.get("idop", "")
    # Only an idOp issued for a transaction the portal holds: nobody pays anything else.
    payment = known_payment(idop=idop, at=now) if idop else None
    if payment is None:
        return render(request, "payfip_simulator/unknown.html", {"idop": idop}, status=404)

    if request.method == "POST":
        result = request.POST.get("decision", "")
        if result not in DECISIONS:
            messages.error(request, "Choisissez « Payer », « Refuser » ou « Abandonner ».")
        elif decide(payment=payment, result=result, at=now):
            if request.POST.get("skip_notification"):
                messages.warning(request, "Notification non envoyée (case cochée).")
            elif notify(payment):
                messages.info(request, "Notification envoyée au site de la commune.")
            else:
                messages.warning(request, "La notification au site de la commune a échoué.")
        else:
            messages.error(request, "Opération déjà terminée ou expirée : rien n'a changé.")
        query = urlencode({"idop": payment.idop})
        return redirect(f"{reverse('payfip_simulator:payment')}?{query}")

    if payment.is_decided or not payment.can_be_decided(now):
        return _result_page(request, payment)
    return render(request, "payfip_simulator/payment.html", {"payment": payment})


def _result_page(request: HttpRequest, payment: SimulatedPayment) -> HttpResponse:
    if not portal.on_portal(payment.urlredirect):
        # Written before the simulator checked addresses, or PORTAL_URL changed since.
        return render(
            request, "payfip_simulator/foreign_address.html", {"payment": payment}, status=400
        )
    response = render(
        request,
        "payfip_simulator/result.html",
        {"payment": payment, "paid": payment.resultrans in (Result.PAID, Result.PAID_DIRECT_DEBIT)},
    )
    # The « return » form posts to the commune's site, which may be another origin.
    target = urlsplit(payment.urlredirect)
    response._csp_update = {"form-action": [f"{target.scheme}://{target.netloc}"]}
    return response
