"""Cron locks: one run at a time across hosts, without relying on a database session."""

import importlib
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from portail.lib import locks
from portail.lib.locks import cron_lock
from portail.models import CronLock

# Each cron command: its module, the service it calls under the lock, its arguments, and
# what it says when another run holds the lock.
COMMANDS = [
    ("reservations", "promote_waitlist", "promote_waitlists", [], "Un autre passage est en cours"),
    ("reservations", "lock_reservations", "freeze", [], "Un autre passage est en cours"),
    ("messaging", "send_pending_emails", "send_pending_emails", [], "Un autre envoi est en cours"),
    (
        "billing",
        "send_payment_reminders",
        "send_payment_reminders",
        [],
        "Un autre passage est en cours",
    ),
    ("billing", "check_pending_payments", "check_pending", [], "Un autre passage est en cours"),
    (
        "billing",
        "generate_invoices",
        "issue",
        ["--month", "2020-01", "--workers", "1"],
        "Une autre facturation est en cours",
    ),
]


def other_connection_acquires(name: str, holder: str = "autre-serveur:1:x") -> bool:
    """What a second host sees when it tries to take `name` now (a thread: its own connection)."""
    result: list[bool] = []

    def other_host():
        try:
            result.append(locks.acquire(name, holder=holder))
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_host)
    thread.start()
    thread.join(20)
    return result == [True]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("app", "command", "service", "args", "busy"), COMMANDS)
def test_two_runs_at_once_one_works_the_other_says_it_is_running(
    monkeypatch, app, command, service, args, busy
):
    module = importlib.import_module(f"{app}.management.commands.{command}")
    real = getattr(module, service)
    started, finish = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow_service(*a, **kw):
        calls.append(threading.current_thread().name)
        started.set()
        finish.wait(20)
        return real(*a, **kw)

    monkeypatch.setattr(module, service, slow_service)
    first_out, errors = StringIO(), []

    def first_run():
        try:
            call_command(command, *args, stdout=first_out)
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    first = threading.Thread(target=first_run, name="premier")
    first.start()
    try:
        assert started.wait(20), errors
        second_out = StringIO()
        call_command(command, *args, stdout=second_out)  # the main thread's own connection
    finally:
        finish.set()
        first.join(30)
    assert errors == []
    assert busy in second_out.getvalue()
    assert busy not in first_out.getvalue()
    assert calls == ["premier"]  # the second run did none of the work
    assert not CronLock.objects.exists()  # released at the end of the first run


@pytest.mark.django_db
def test_a_live_lock_of_another_host_stops_the_run_and_changes_nothing(monkeypatch):
    module = importlib.import_module("reservations.management.commands.promote_waitlist")
    monkeypatch.setattr(module, "promote_waitlists", lambda **kw: pytest.fail("a travaillé"))
    now = timezone.now()
    CronLock.objects.create(
        name="reservations.promote_waitlist",
        holder="autre-serveur:77:abc",
        acquired_at=now - timedelta(minutes=1),
        expires_at=now + timedelta(minutes=4),
    )
    out = StringIO()
    call_command("promote_waitlist", stdout=out)
    assert out.getvalue().strip() == "Un autre passage est en cours : rien à faire."
    assert CronLock.objects.get().holder == "autre-serveur:77:abc"


@pytest.mark.django_db
def test_the_lock_of_a_crashed_holder_expires_and_the_next_run_takes_it():
    now = timezone.now()
    CronLock.objects.create(
        name="reservations.promote_waitlist",
        holder="serveur-tombé:77:abc",
        acquired_at=now - timedelta(hours=1),
        expires_at=now - timedelta(seconds=1),
    )
    out = StringIO()
    call_command("promote_waitlist", stdout=out)
    assert "place(s) attribuée(s)" in out.getvalue()
    assert not CronLock.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_lock_needs_no_session_a_new_connection_per_statement_keeps_it():
    # What a pooler in transaction mode does: every statement may reach another server
    # connection. A session-level advisory lock dies with the connection; the row does not.
    with cron_lock("essai.sans_session") as acquired:
        assert acquired
        connection.close()
        assert not other_connection_acquires("essai.sans_session")
        connection.close()
        with cron_lock("essai.sans_session") as again:
            assert not again
        connection.close()
    assert not CronLock.objects.filter(name="essai.sans_session").exists()
    assert other_connection_acquires("essai.sans_session")


@pytest.mark.django_db(transaction=True)
def test_a_long_run_renews_its_lock_so_it_does_not_expire_under_it():
    ttl = timedelta(seconds=0.9)
    with cron_lock("essai.long", ttl=ttl) as acquired:
        assert acquired
        first_expiry = CronLock.objects.get(name="essai.long").expires_at
        threading.Event().wait(2.0)  # more than twice the lifetime of one renewal
        assert not other_connection_acquires("essai.long")
        assert CronLock.objects.get(name="essai.long").expires_at > first_expiry
    assert not CronLock.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_lock_not_renewed_expires_by_itself():
    assert locks.acquire("essai.abandon", holder="mort:1:x", ttl=timedelta(seconds=0.3))
    assert not other_connection_acquires("essai.abandon")
    threading.Event().wait(0.5)
    assert other_connection_acquires("essai.abandon", holder="suivant:2:y")
    assert CronLock.objects.get(name="essai.abandon").holder == "suivant:2:y"


@pytest.mark.django_db
def test_the_lock_is_released_when_the_work_fails():
    with pytest.raises(RuntimeError), cron_lock("essai.echec") as acquired:
        assert acquired
        raise RuntimeError("panne")
    assert not CronLock.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_run_whose_lock_was_taken_over_stops_and_its_transaction_rolls_back(monkeypatch):
    """The database was out of reach longer than the lock lives and another host took the
    lock: the first run must not go on beside the second one."""
    ttl = timedelta(seconds=0.6)
    done = []
    reachable = threading.Event()
    real_renew = locks.renew

    def renew(name, **kwargs):
        if not reachable.is_set():
            raise OperationalError("le serveur de base de données ne répond pas")
        return real_renew(name, **kwargs)

    monkeypatch.setattr(locks, "renew", renew)
    with (
        pytest.raises(locks.CronLockLost, match="Verrou « essai.perdu » perdu"),
        cron_lock("essai.perdu", ttl=ttl) as acquired,
    ):
        assert acquired
        threading.Event().wait(0.7)  # the lock expired meanwhile, and the other host took it
        assert other_connection_acquires("essai.perdu")
        reachable.set()
        with transaction.atomic():
            CronLock.objects.create(name="essai.trace", holder="travail", **_times())
            for _ in range(100):  # a long loop of work, well past one renewal
                threading.Event().wait(0.05)
            done.append("fini")
    assert done == []
    assert not CronLock.objects.filter(name="essai.trace").exists()  # rolled back
    # The other host's lock is left to it.
    assert CronLock.objects.get(name="essai.perdu").holder == "autre-serveur:1:x"


def _times() -> dict:
    now = timezone.now()
    return {"acquired_at": now, "expires_at": now + timedelta(minutes=5)}
