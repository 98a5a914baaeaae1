"""REMOTE_ADDR names the client: read from X-Forwarded-For only when a trusted proxy sent it."""

import pytest
from django.test import Client

from accounts.models import SecurityEvent, SecurityEventKind
from portail.client_address import client_address
from tests.portail.test_settings import run_django

PROXY = "127.0.0.1"


def meta(peer, forwarded=None):
    values = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        values["HTTP_X_FORWARDED_FOR"] = forwarded
    return values


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(meta("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_behind_a_trusted_proxy_the_client_is_the_address_it_saw(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    # The client may put anything in the header; the proxy appends what it saw, last.
    assert client_address(meta(PROXY, "10.9.9.9, 198.51.100.7")) == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_from_the_right(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.0.0.0/8"]
    forwarded = "203.0.113.1, 198.51.100.7, 10.0.0.4"
    assert client_address(meta(PROXY, forwarded)) == "198.51.100.7"


def test_a_peer_that_is_not_a_trusted_proxy_is_the_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_address(meta("198.51.100.7", "203.0.113.9")) == "198.51.100.7"


def test_a_malformed_header_keeps_the_proxy_s_address(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    assert client_address(meta(PROXY, "pas une adresse")) == PROXY
    assert client_address(meta(PROXY)) == PROXY


@pytest.mark.django_db
def test_the_security_log_and_the_throttles_see_the_client(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    browser = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    browser.post("/connexion/mot-de-passe-oublie/", {"email": "inconnu@example.org"})
    event = SecurityEvent.objects.get(kind=SecurityEventKind.PASSWORD_RESET_REQUESTED)
    assert event.ip_address == "198.51.100.7"


def test_a_bad_trusted_proxy_stops_the_start():
    result = run_django({"DEBUG": "true", "TRUSTED_PROXIES": "127.0.0.1,le-proxy"})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "TRUSTED_PROXIES" in result.stderr
