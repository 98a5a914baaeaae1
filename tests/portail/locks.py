"""Another server runs a cron command meanwhile: its lock row, written by its own connection."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

from portail.lib import locks


@contextmanager
def lock_held_elsewhere(name: str) -> Iterator[str]:
    """Another host holds the lock `name` (committed, live) for the duration of the block."""
    other = connections.create_connection("default")
    holder = "autre-serveur:4242:test"
    try:
        with other.cursor() as cursor:
            cursor.execute(locks._INSERT, {"name": name, "holder": holder, "ttl": locks.LOCK_TTL})
            assert cursor.fetchone() is not None, f"{name} est déjà pris"
        yield holder
    finally:
        with other.cursor() as cursor:
            cursor.execute(locks._RELEASE, {"name": name, "holder": holder})
        other.close()
