"""PayFiP in-process: eopayment/zeep → simulator and simulator → urlnotif without a network.

    def test_it_pays(payfip_in_process):
        idop = payfip_client().get_idop(numcli="123456", saisie="T", exer="2026", ...)
        ...
        assert payfip_in_process.calls[-1].path == "/simulateur-payfip/services/securite"

`payfip_simulator` turns the simulator on for one test (settings, URLs mounted on the
portal's own); `payfip_in_process` also routes every `requests` call for the portal's host
(`PORTAL_URL`, default http://127.0.0.1:8000) to Django's test client, in the test's own
transaction, and refuses any other address. Each call is recorded in `.calls`.
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

DEFAULT_BASE = "http://127.0.0.1:8000"
# Headers the WSGI environ carries as CONTENT_TYPE/CONTENT_LENGTH or SERVER_NAME instead.
_NOT_FORWARDED = {"content-type", "content-length", "host"}


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    path: str
    body: bytes
    status: int


@dataclass
class InProcessRoute:
    base: str
    calls: list[Call] = field(default_factory=list)

    def to(self, path: str) -> list[Call]:
        """The recorded calls to one path of the portal."""
        return [call for call in self.calls if call.path == path]


@pytest.fixture
def payfip_simulator(settings) -> str:
    """The simulator on, as `make run` has it; returns the portal's base address."""
    base = (settings.PORTAL_URL or DEFAULT_BASE).rstrip("/")
    settings.PAYFIP_SIMULATOR = True
    settings.PAYFIP_SERVICE_URL = f"{base}/simulateur-payfip/services/securite"
    settings.PAYFIP_PAYMENT_URL = f"{base}/simulateur-payfip/paiement/"
    settings.ROOT_URLCONF = "tests.payfip_simulator.urls"
    host = urlsplit(base).hostname
    if host not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
    return base


@pytest.fixture
def payfip_in_process(payfip_simulator, monkeypatch) -> InProcessRoute:
    route = InProcessRoute(base=payfip_simulator)
    portal = urlsplit(payfip_simulator)

    def send(adapter, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        url = urlsplit(request.url)
        if (url.scheme, url.netloc) != (portal.scheme, portal.netloc):
            raise requests.ConnectionError(
                f"No network in tests: {request.url} is not the portal.", request=request
            )
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        # A server answers a failing view with a 500, it does not raise into its caller.
        answer = Client(raise_request_exception=False).generic(
            request.method,
            url.path + (f"?{url.query}" if url.query else ""),
            data=body,
            content_type=request.headers.get("Content-Type", ""),
            secure=url.scheme == "https",
            headers={
                "Host": url.netloc,
                **{
                    name: value
                    for name, value in request.headers.items()
                    if name.lower() not in _NOT_FORWARDED
                },
            },
        )
        route.calls.append(Call(request.method, request.url, url.path, body, answer.status_code))
        response = requests.Response()
        response.status_code = answer.status_code
        response.reason = answer.reason_phrase
        response.headers = CaseInsensitiveDict(answer.headers)
        response._content = answer.content
        response.encoding = get_encoding_from_headers(response.headers)
        response.url = request.url
        response.request = request
        response.connection = adapter
        return response

    monkeypatch.setattr(HTTPAdapter, "send", send)
    return route
