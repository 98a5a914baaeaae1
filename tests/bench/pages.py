"""Throughput of the parents' pages against a bare Django view, served the same way.

Each page of PAGES is loaded while logged in as a parent, the baseline anonymously;
they alternate in the same run, under the same server and client, and each page prints
its req/s and its ratio to the baseline against its own target (0.5; 0.35 for the
reservations month and the statement, as their issues set). To measure a new page, add
a line to PAGES. BENCH_PAGES (paths, comma-separated: `BENCH_PAGES=/reservations/`) measures
only those pages, still beside the baseline.
"""

import http.client
import os
from typing import NamedTuple

from django.db import connection
from django.test import Client as DjangoClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from . import data, load, server
from .environment import HOST, SetupError
from .views import ROWS


class Page(NamedTuple):
    name: str
    path: str
    # Text that only the expected page shows (beyond being logged in).
    marker: str = ""
    # The page's throughput target, as a share of the bare view's (its issue says which).
    target: float = 0.5


PAGES = [
    Page("Accueil", "/", "Informations compte"),
    Page("Boîte de réception", "/messages/", "Boîte de réception"),
    Page("Nous contacter", "/contact/", "Nouveau message"),
    Page("Infos./Documents", "/infos/", "Formulaires"),
    Page("Factures", "/factures/", "Relevé des opérations", target=0.35),
    Page("Réservations", "/reservations/", "Enregistrer mes choix", target=0.35),
    Page("Mes enfants", "/enfants/", "Mes enfants"),
    Page("Mon compte", "/compte/", "Responsables légaux"),
]

BASELINE = Page(f"bare view ({ROWS} rows)", "/bench/bare/", 'class="bench-row"')


def check(page: Page, body: str, *, logged_in: bool) -> None:
    """The page is the one meant: not a login form, nor an error page."""
    logout = f'action="{reverse("accounts:logout")}"'
    if logged_in and logout not in body:
        raise SetupError(f"{page.name} ({page.path}) is not served to a logged-in parent.")
    if page.marker and page.marker not in body:
        raise SetupError(f"{page.name} ({page.path}) does not show « {page.marker} ».")
    if page is BASELINE and body.count(page.marker) != ROWS:
        raise SetupError(f"The bare view shows {body.count(page.marker)} rows, not {ROWS}.")


def queries(page: Page, cookie: str) -> int:
    """The queries a request runs once warm (counted in this process, before the load)."""
    client = DjangoClient(SERVER_NAME=HOST, HTTP_COOKIE=cookie)
    client.get(page.path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.path)
    if response.status_code != 200:
        raise SetupError(f"{page.name} ({page.path}) answers {response.status_code}.")
    check(page, response.content.decode(), logged_in=bool(cookie))
    return len(captured)


def served(port: int, target: load.Target, page: Page, *, logged_in: bool) -> None:
    """The same check on the real server's first answer."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request("GET", target.path, headers=dict(target.headers))
        response = conn.getresponse()
        body = response.read().decode()
    finally:
        conn.close()
    if response.status != 200:
        raise SetupError(f"{page.name} ({page.path}) answers {response.status} under gunicorn.")
    check(page, body, logged_in=logged_in)


def chosen(pages: list[Page], paths: str) -> list[Page]:
    """The pages BENCH_PAGES names, all of them when it is empty."""
    wanted = {path.strip() for path in paths.split(",") if path.strip()}
    unknown = wanted - {page.path for page in pages}
    if unknown:
        raise SetupError(f"BENCH_PAGES names no page of PAGES: {', '.join(sorted(unknown))}.")
    return [page for page in pages if not wanted or page.path in wanted]


def run(config: load.Load) -> int:
    pages = chosen(PAGES, os.environ.get("BENCH_PAGES", ""))
    data.prepare()
    cookie = data.parent_cookie()
    counts = {BASELINE: queries(BASELINE, "")} | {page: queries(page, cookie) for page in pages}
    if counts[BASELINE] != 3:
        raise SetupError(f"The bare view runs {counts[BASELINE]} queries, not 3.")
    connection.close()

    targets = {BASELINE: load.Target(BASELINE.name, BASELINE.path)} | {
        page: load.Target(page.name, page.path, (("Cookie", cookie),)) for page in pages
    }
    print(
        f"gunicorn {server.WORKERS} workers, DEBUG=false; {config.concurrency} clients "
        f"({config.processes} processes × {config.threads} threads); {config.rounds} rounds "
        f"of {config.warmup:g} s warm-up + {config.seconds:g} s per target, in turn. "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before the run."
    )
    rounds: list[dict[Page, load.Result]] = []
    with server.gunicorn() as gunicorn, load.client(config) as client:
        for page, target in targets.items():
            served(gunicorn.port, target, page, logged_in=page is not BASELINE)
        for number in range(1, config.rounds + 1):
            rounds.append({page: client.measure(gunicorn.port, t) for page, t in targets.items()})
            rates = " · ".join(f"{page.name} {r.rate:.1f}" for page, r in rounds[-1].items())
            print(f"  round {number}/{config.rounds}: {rates} req/s")
        totals = {page: load.Result() for page in targets}
        for round_ in rounds:
            for page, result in round_.items():
                totals[page].add(result)
        errors = sum(result.errors for result in totals.values())
        if errors:
            print("gunicorn's log, last lines:", *gunicorn.log().splitlines()[-30:], sep="\n")

    report(totals, rounds, counts)
    return 1 if errors else 0


def report(
    totals: dict[Page, load.Result], rounds: list[dict[Page, load.Result]], counts: dict[Page, int]
) -> None:
    """req/s, latency and errors of each target; each page's ratio to the baseline, overall
    and its range over the rounds (how much the machine's other work moved it).
    """
    baseline = totals[BASELINE].rate
    print()
    print(
        f"{'target':<22}{'path':<15}{'queries':>8}{'req/s':>9}{'p50 ms':>8}{'p95 ms':>8}"
        f"{'errors':>8}{'ratio':>7}  {'rounds':<11} verdict (target)"
    )
    for page, total in totals.items():
        line = (
            f"{page.name:<22}{page.path:<15}{counts[page]:>8}{total.rate:>9.1f}"
            f"{total.percentile(50):>8.1f}{total.percentile(95):>8.1f}{total.errors:>8}"
        )
        if page is not BASELINE:
            ratio = total.rate / baseline if baseline else 0.0
            each = [r[page].rate / r[BASELINE].rate for r in rounds if r[BASELINE].rate]
            spread = f"{min(each):.2f}–{max(each):.2f}" if each else "—"
            verdict = f"{'PASS' if ratio >= page.target else 'BELOW TARGET'} (≥ {page.target:g})"
            line += f"{ratio:>7.2f}  {spread:<11} {verdict}"
        print(line)
        for kind, count in total.error_kinds.items():
            print(f"    {count} × {kind}")
        if total.capped:
            print(f"    stopped at the request bound: {page.name}'s rate is understated")
