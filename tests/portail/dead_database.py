"""The database really unreachable: the connection points at a local port nobody listens on."""

import socket
from collections.abc import Iterator

import pytest
from django.db import connection


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the block ends: nobody listens


@pytest.fixture
def dead_database(django_db_blocker, monkeypatch) -> Iterator[None]:
    """No transaction of the test around it (the connection is really closed and reopened)."""
    with django_db_blocker.unblock():
        connection.close()
        monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(connection.settings_dict, "PORT", str(closed_port()))
        monkeypatch.setitem(connection.settings_dict, "OPTIONS", {"connect_timeout": 2})
        try:
            yield
        finally:
            connection.close()
