"""The opening rush: the morning summer registrations open.

PARENTS logged-in parents (sessions made beforehand: hashing a password costs ~190 ms of
CPU per login here) each open the ALSH summer page and submit bookings for the same DAYS
days (CAPACITY places each), their arrivals spread over the same WINDOW seconds, through
as many concurrent clients as the machine allows, against the production server
(gunicorn, DEBUG off). It prints requests/s, p50/p95/p99 latency and errors, then checks
in the database that each day ends with exactly its capacity booked and everybody else
on the waiting list, in order of arrival. Then it measures logins/s through the login
page beside the password hasher's own rate.

Environment: BENCH_RUSH_PARENTS (2500), BENCH_RUSH_CAPACITY (200), BENCH_RUSH_WINDOW (10),
BENCH_RUSH_CLIENTS (64 concurrent clients).
"""

import http.client
import os
import re
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from importlib import import_module
from multiprocessing import get_context
from urllib.parse import urlencode

from . import load, server

PARENTS = int(os.environ.get("BENCH_RUSH_PARENTS", 2500))
CAPACITY = int(os.environ.get("BENCH_RUSH_CAPACITY", 200))
WINDOW = float(os.environ.get("BENCH_RUSH_WINDOW", 10))
CLIENTS = int(os.environ.get("BENCH_RUSH_CLIENTS", 64))
DAYS = 4
PREFIX = "RUSH"
PROCESSES = 2
LOGINS = 200

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass(frozen=True)
class Parent:
    cookie: str
    child_id: int
    offset: float  # seconds after the opening


@dataclass(frozen=True)
class Record:
    kind: str  # "page" or "submit"
    status: int
    started: float
    ms: float


# --- data -------------------------------------------------------------------------------


def prepare() -> tuple[list[Parent], int, list[date]]:
    """Idempotent set-up; the days' bookings are wiped so that every run starts the same."""
    import random

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.middleware import LAST_ACTIVITY_KEY
    from accounts.models import Family, User
    from children.models import Child
    from portail.demo import school_year_start
    from reservations import calendar
    from reservations.models import (
        Activity,
        Booking,
        DayCount,
        DeadlineRule,
        Enrolment,
        EnrolmentStatus,
        Pattern,
        RuleKind,
        SchoolYear,
        Unit,
    )

    today = timezone.localdate()
    start_year = school_year_start(today)
    year, _ = SchoolYear.objects.get_or_create(
        name=f"{start_year}-{start_year + 1}",
        defaults={"start": date(start_year, 9, 1), "end": date(start_year + 1, 8, 31)},
    )
    rule, _ = DeadlineRule.objects.get_or_create(name="Sans délai (banc)", kind=RuleKind.NONE)
    activity, _ = Activity.objects.update_or_create(
        name="ALSH été (banc)",
        defaults={
            "pattern": Pattern.HOLIDAYS,
            "booking_rule": rule,
            "cancel_rule": rule,
            "booking_opens_at": timezone.now() - timedelta(minutes=1),
            "enrolment_needs_validation": True,
        },
    )
    unit, _ = Unit.objects.update_or_create(
        activity=activity, name="Journée avec repas", defaults={"capacity": CAPACITY}
    )
    july = date(start_year + 1, 7, 1)
    opening = calendar.opening_days(
        july,
        july + timedelta(days=30),
        pattern=Pattern.HOLIDAYS,
        zone=settings.SCHOOL_ZONE,
        year_start=year.start,
        year_end=year.end,
    )
    days = [day for day, closed in sorted(opening.items()) if closed is None][:DAYS]

    have = Family.objects.filter(name__startswith=PREFIX).count()
    families = Family.objects.bulk_create(
        Family(name=f"{PREFIX}{n:05d}", city="Valmont-sur-Loire") for n in range(have, PARENTS)
    )
    Child.objects.bulk_create(
        Child(family=f, first_name="Enfant", last_name=f.name, birth_date=date(2018, 5, 1))
        for f in families
    )
    User.objects.bulk_create(
        User(username=f.name.lower(), family=f, password="!", is_active=True) for f in families
    )
    children = list(
        Child.objects.filter(family__name__startswith=PREFIX)
        .order_by("family__name")
        .values_list("pk", "family__name")[:PARENTS]
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                child_id=pk, activity=activity, school_year=year, status=EnrolmentStatus.VALIDATED
            )
            for pk, _ in children
        ],
        ignore_conflicts=True,
    )
    Booking.objects.filter(unit=unit).delete()
    DayCount.objects.filter(unit=unit).delete()

    users = dict(
        User.objects.filter(username__startswith=PREFIX.lower()).values_list("username", "pk")
    )
    hashes = {u.pk: u.get_session_auth_hash() for u in User.objects.filter(pk__in=users.values())}
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    now = timezone.now().timestamp()
    sessions, parents = [], []
    for child_id, name in children:
        user_id = users[name.lower()]
        store = store_class()
        key = store._get_new_session_key()
        data = store.encode(
            {
                SESSION_KEY: str(user_id),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                HASH_SESSION_KEY: hashes[user_id],
                LAST_ACTIVITY_KEY: now,
            }
        )
        sessions.append(
            Session(
                session_key=key, session_data=data, expire_date=timezone.now() + timedelta(hours=2)
            )
        )
        parents.append(
            Parent(f"{settings.SESSION_COOKIE_NAME}={key}", child_id, random.uniform(0, WINDOW))
        )
    Session.objects.bulk_create(sessions)
    return parents, unit.pk, days


# --- load (no Django in the client processes) ----------------------------------------


def _visit(port: int, parent: Parent, unit_id: int, days: list[date], records: list) -> None:
    month = days[0].strftime("%Y-%m")
    conn = http.client.HTTPConnection(load.HOST, port, timeout=120)
    started = time.monotonic()
    conn.request("GET", f"/reservations/?mois={month}", headers={"Cookie": parent.cookie})
    response = conn.getresponse()
    body = response.read()
    records.append(Record("page", response.status, started, (time.monotonic() - started) * 1000))
    conn.close()
    token = CSRF_FIELD.search(body)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 200 or not token or not csrf_cookie:
        records.append(Record("submit", 0, started, 0.0))
        return
    form = [("csrfmiddlewaretoken", token.group(1).decode()), ("mois", month)]
    form += [("choix", f"{parent.child_id}:{unit_id}:{day:%Y-%m-%d}:book") for day in days]
    conn = http.client.HTTPConnection(load.HOST, port, timeout=120)
    started = time.monotonic()
    conn.request(
        "POST",
        "/reservations/",
        body=urlencode(form),
        headers={
            "Cookie": f"{parent.cookie}; csrftoken={csrf_cookie.group(1)}",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = conn.getresponse()
    response.read()
    records.append(Record("submit", response.status, started, (time.monotonic() - started) * 1000))
    conn.close()


def _client_process(port, parents, unit_id, days, opening, threads) -> list[Record]:
    records: list[Record] = []
    queue = sorted(parents, key=lambda p: p.offset)
    lock = threading.Lock()

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                parent = queue.pop(0)
            delay = opening + parent.offset - time.time()
            if delay > 0:
                time.sleep(delay)
            try:
                _visit(port, parent, unit_id, days, records)
            except OSError as exc:
                records.append(Record(f"error {type(exc).__name__}", 0, time.monotonic(), 0.0))

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return records


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _login_rate(port: int) -> tuple[float, float]:
    """Logins/s through /connexion/ with real passwords, and the hasher's own rate."""
    from django.contrib.auth.hashers import check_password, make_password

    from accounts.models import User

    password = "Banc-Essai-2026"
    encoded = make_password(password)
    started = time.perf_counter()
    for _ in range(10):
        check_password(password, encoded)
    hasher = 10 / (time.perf_counter() - started)
    names = list(
        User.objects.filter(username__startswith=PREFIX.lower())
        .order_by("pk")
        .values_list("username", flat=True)[:LOGINS]
    )
    User.objects.filter(username__in=names).update(password=encoded)

    def log_in(name):
        conn = http.client.HTTPConnection(load.HOST, port, timeout=60)
        conn.request("GET", "/connexion/")
        response = conn.getresponse()
        body = response.read()
        token = CSRF_FIELD.search(body).group(1).decode()
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie")).group(1)
        conn.close()
        conn = http.client.HTTPConnection(load.HOST, port, timeout=60)
        conn.request(
            "POST",
            "/connexion/",
            body=urlencode({"csrfmiddlewaretoken": token, "username": name, "password": password}),
            headers={
                "Cookie": f"csrftoken={cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        status = conn.getresponse().status
        conn.close()
        return status

    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(log_in, names))
    elapsed = time.perf_counter() - started
    if any(s != 302 for s in statuses):
        print(f"  logins not all successful: {sorted(set(statuses))}")
    return len(names) / elapsed, hasher


def run(config: load.Load) -> int:
    from reservations.models import Booking, Status

    print(f"Preparing {PARENTS} parents, {DAYS} days of {CAPACITY} places…")
    parents, unit_id, days = prepare()
    print(f"Days: {', '.join(d.isoformat() for d in days)}; {CLIENTS} concurrent clients.")
    status = 0
    with server.gunicorn() as gunicorn:
        opening = time.time() + 2.0
        share = [parents[i::PROCESSES] for i in range(PROCESSES)]
        with ProcessPoolExecutor(PROCESSES, mp_context=get_context("spawn")) as pool:
            futures = [
                pool.submit(
                    _client_process,
                    gunicorn.port,
                    part,
                    unit_id,
                    days,
                    opening,
                    CLIENTS // PROCESSES,
                )
                for part in share
            ]
            records = [r for f in futures for r in f.result()]
        elapsed = max(r.started + r.ms / 1000 for r in records) - min(r.started for r in records)
        logins, hasher = _login_rate(gunicorn.port)
        if any(r.status >= 500 or r.status == 0 for r in records):
            print(gunicorn.log()[-3000:])
    for kind in ("page", "submit"):
        rows = [r for r in records if r.kind == kind]
        ok = [r.ms for r in rows if r.status in (200, 302)]
        errors = len(rows) - len(ok)
        print(
            f"{kind:>6}: {len(rows)} requests, {len(ok) / elapsed:.0f}/s over {elapsed:.1f} s, "
            f"p50 {_percentile(ok, 50):.0f} ms, p95 {_percentile(ok, 95):.0f} ms, "
            f"p99 {_percentile(ok, 99):.0f} ms, errors {errors}"
        )
        status |= 1 if errors else 0
    others = [r for r in records if r.kind not in ("page", "submit")]
    if others:
        print(f"client errors: {len(others)}")
        status = 1
    print(f"{len(records) / elapsed:.0f} requests/s in all.")
    for day in days:
        rows = list(Booking.objects.filter(unit_id=unit_id, day=day).values_list("pk", "status"))
        booked = [pk for pk, s in rows if s == Status.BOOKED]
        waiting = [pk for pk, s in rows if s == Status.WAITING]
        expected = min(CAPACITY, PARENTS)
        in_order = not waiting or not booked or max(booked) < min(waiting)
        verdict = "OK" if len(booked) == expected and len(rows) == PARENTS and in_order else "WRONG"
        print(
            f"{day}: {len(booked)} booked, {len(waiting)} waiting, "
            f"arrival order {'kept' if in_order else 'BROKEN'} — {verdict}"
        )
        status |= 0 if verdict == "OK" else 1
    print(
        f"logins: {logins:.1f}/s through /connexion/; the hasher alone: {hasher:.1f}/s per core "
        f"({hasher * 2:.1f}/s on 2 cores)"
    )
    print("Targets: 0 errors, 0 overbooking, every parent answered, p95 < 2 s.")
    return status


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit("Run through: python -m tests.bench.run rush")
