"""eopayment's PayFiP client, bound to the configured service (the treasury's, or the simulator).

eopayment keeps `service_url` but its zeep client always calls the address written in
its WSDL (the real PayFiP). Here the WSDL stays eopayment's local copy and the service is
bound to `settings.PAYFIP_SERVICE_URL`; the payment page is `settings.PAYFIP_PAYMENT_URL`.
"""

from urllib.parse import urlencode

import requests
import zeep
from django.conf import settings
from eopayment.payfip_ws import PayFiP, PayFiPError
from zeep.transports import Transport

BINDING = (
    "{http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService}PaiementSecuriseServicePortBinding"
)


class _BoundClient(zeep.Client):
    """A zeep client whose default service calls `service_url` instead of the WSDL's address."""

    def __init__(self, wsdl: str, *, service_url: str, transport: Transport) -> None:
        super().__init__(wsdl, transport=transport)
        self._bound_service = self.create_service(BINDING, service_url)

    @property
    def service(self):
        return self._bound_service


class ConfiguredPayFiP(PayFiP):
    def __init__(self, *, service_url: str, session: requests.Session | None) -> None:
        super().__init__(service_url=service_url)
        self._session = session

    @property
    def client(self) -> zeep.Client:
        if not hasattr(self, "_client"):
            transport = Transport(session=self._session or requests.Session())
            try:
                self._client = _BoundClient(
                    self.wsdl_url, service_url=self.service_url, transport=transport
                )
            except Exception as error:
                raise PayFiPError("Could not initialize the SOAP client", error) from error
        return self._client


def payfip_client(
    *, timeout: float | None = None, session: requests.Session | None = None
) -> PayFiP:
    """eopayment's PayFiP object talking to `settings.PAYFIP_SERVICE_URL`.

    `timeout` (seconds) replaces eopayment's 15 s default for each call; `session` is the
    `requests.Session` zeep's transport uses (proxies, retries, tests).
    """
    client = ConfiguredPayFiP(service_url=settings.PAYFIP_SERVICE_URL, session=session)
    if timeout is not None:
        client.default_timeout = timeout
    return client


def payment_page_url(idop: str) -> str:
    """Where the payer's browser goes to pay the operation `idop`."""
    return f"{settings.PAYFIP_PAYMENT_URL}?{urlencode({'idop': idop})}"
