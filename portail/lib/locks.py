"""One cron command runs at a time across every host: a lock row in PostgreSQL.

A session-level advisory lock belongs to one database connection, and a pooler in
transaction mode (PgBouncer) hands each transaction to any server connection: such a lock
would be taken on one and released on another, or outlive the command. A row needs no
session: it is taken by one statement, renewed while the command works, deleted at the end,
and taken over by the next run once it has expired (the holder died).

A holder that lost its lock all the same (the database was out of reach longer than the
lock lives, the process was frozen) stops at once: two runs must never work side by side.
Its work is interrupted as Ctrl-C would interrupt it — the transaction it was in rolls back —
and the command ends with `CronLockLost`, which says so.
"""

import _thread
import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.core.management import CommandError
from django.db import connection, connections

logger = logging.getLogger(__name__)

# How long a lock outlives its last renewal; it is renewed three times within that time.
LOCK_TTL = timedelta(minutes=5)

# Two statements, neither of which waits for or locks a live holder's row: a new row, or
# else the row of a holder that died (its expiry passed). Between them the holder may have
# finished and deleted its row: the run then skips, and the next one goes ahead.
_INSERT = """
    INSERT INTO portail_cronlock (name, holder, acquired_at, expires_at)
    VALUES (%(name)s, %(holder)s, clock_timestamp(), clock_timestamp() + %(ttl)s)
    ON CONFLICT (name) DO NOTHING
    RETURNING holder
"""
_TAKE_OVER = """
    UPDATE portail_cronlock
    SET holder = %(holder)s, acquired_at = clock_timestamp(),
        expires_at = clock_timestamp() + %(ttl)s
    WHERE name = %(name)s AND expires_at < clock_timestamp()
    RETURNING holder
"""
_RENEW = """
    UPDATE portail_cronlock SET expires_at = clock_timestamp() + %(ttl)s
    WHERE name = %(name)s AND holder = %(holder)s
"""
_RELEASE = "DELETE FROM portail_cronlock WHERE name = %(name)s AND holder = %(holder)s"


def new_holder() -> str:
    """Who holds a lock, as an operator reading the table would want it: host, pid, run."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def acquire(name: str, *, holder: str, ttl: timedelta = LOCK_TTL) -> bool:
    """Take the lock `name` for `holder`, unless a live holder has it."""
    params = {"name": name, "holder": holder, "ttl": ttl}
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, params)
        if cursor.fetchone() is not None:
            return True
        cursor.execute(_TAKE_OVER, params)
        return cursor.fetchone() is not None


def renew(name: str, *, holder: str, ttl: timedelta = LOCK_TTL) -> bool:
    """Push the expiry back; False if the lock expired meanwhile and someone else took it."""
    with connection.cursor() as cursor:
        cursor.execute(_RENEW, {"name": name, "holder": holder, "ttl": ttl})
        return cursor.rowcount == 1


def release(name: str, *, holder: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(_RELEASE, {"name": name, "holder": holder})


class _Renewer(threading.Thread):
    """Renews the lock while the command works, from its own database connection."""

    def __init__(self, name: str, holder: str, ttl: timedelta):
        super().__init__(name=f"cron-lock {name}", daemon=True)
        self.lock_name, self.holder, self.ttl = name, holder, ttl
        self.stopped = threading.Event()
        self.lost = threading.Event()
        # Only a command's main thread can be interrupted; a lock taken in another thread
        # (a test's) is only reported lost.
        self.interrupts = threading.current_thread() is threading.main_thread()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.ttl.total_seconds() / 3):
                try:
                    if not renew(self.lock_name, holder=self.holder, ttl=self.ttl):
                        logger.error("Verrou %s perdu : il avait expiré.", self.lock_name)
                        self.lost.set()
                        if self.interrupts and not self.stopped.is_set():
                            _thread.interrupt_main()
                        return
                except Exception:  # the database is away: try again at the next beat
                    logger.exception("Verrou %s : renouvellement impossible.", self.lock_name)
        finally:
            connections.close_all()  # this thread's connections only

    def stop(self) -> None:
        self.stopped.set()
        self.join()


class CronLockLost(CommandError):
    """The run's lock expired and another run may have taken it: this one stopped."""


@contextmanager
def cron_lock(name: str, *, ttl: timedelta = LOCK_TTL) -> Iterator[bool]:
    """Yields True if this process now runs `name`, False if another one does.

    The lock is renewed in the background while the block runs, released when it ends,
    and expires by itself `ttl` after the last renewal if the process dies.
    """
    holder = new_holder()
    if not acquire(name, holder=holder, ttl=ttl):
        yield False
        return
    renewer = _Renewer(name, holder, ttl)
    renewer.start()
    try:
        yield True
    except KeyboardInterrupt:
        if renewer.lost.is_set():
            raise CronLockLost(
                f"Verrou « {name} » perdu (expiré, peut-être repris par un autre passage) : "
                "arrêt, ce qui était en cours est annulé."
            ) from None
        raise
    finally:
        renewer.stop()
        release(name, holder=holder)
