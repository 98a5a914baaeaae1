"""The HTTP load client: a few processes of a few threads each, for a fixed time.

Kept free of Django so that its processes start fast. Each thread sends one request
after another (gunicorn's sync workers close the connection after each response, as
they do in production), the first `warmup` seconds are not counted, then the requests
completed within the next `seconds` are: their number, their latency and the errors
(anything but a 200 counts as one, warm-up included).
"""

import http.client
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context

HOST = "127.0.0.1"
# Time for the client processes to be ready before the common start.
START_DELAY = 0.5
# Distinct kinds of error kept for the report ("HTTP 500", "ConnectionResetError: …").
ERROR_KINDS = 5


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Load:
    processes: int = 2
    threads: int = 4
    warmup: float = 0.5
    seconds: float = 3.0
    # Each benchmark measures its targets in turn, this many times over: short turns
    # spread the load of whatever else runs on the machine evenly over the targets.
    rounds: int = 6
    # A bound in case a target answers implausibly fast (an error page, say).
    max_requests: int = 200_000

    @property
    def concurrency(self) -> int:
        return self.processes * self.threads


@dataclass
class Result:
    seconds: float = 0.0
    requests: int = 0
    capped: bool = False
    latencies: list[float] = field(default_factory=list)  # milliseconds
    error_kinds: dict[str, int] = field(default_factory=dict)

    def add(self, other: "Result") -> None:
        self.seconds += other.seconds
        self.requests += other.requests
        self.capped |= other.capped
        self.latencies += other.latencies
        for kind, count in other.error_kinds.items():
            self.error(kind, count)

    def error(self, kind: str, count: int = 1) -> None:
        if kind in self.error_kinds or len(self.error_kinds) < ERROR_KINDS:
            self.error_kinds[kind] = self.error_kinds.get(kind, 0) + count
        else:
            self.error_kinds["other"] = self.error_kinds.get("other", 0) + count

    @property
    def errors(self) -> int:
        return sum(self.error_kinds.values())

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def _thread(
    port: int, target: Target, start: float, end: float, cap: int, counted: float, out: Result
) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = dict(target.headers)
    time.sleep(max(0.0, start - time.time()))
    sent = 0
    while time.time() < end and sent < cap:
        sent += 1
        began = time.perf_counter()
        try:
            conn.request("GET", target.path, headers=headers)
            response = conn.getresponse()
            response.read()
            error = None if response.status == 200 else f"HTTP {response.status}"
            if response.status != 200 and response.getheader("Location"):
                error += f" → {response.getheader('Location')}"
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            error = f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - began
        if error:
            out.error(error)
        elif counted <= time.time() < end:
            out.requests += 1
            out.latencies.append(elapsed * 1000)
    out.capped = sent >= cap
    conn.close()


def _process(port: int, target: Target, load: Load, start: float) -> Result:
    counted = start + load.warmup
    end = counted + load.seconds
    cap = max(1, load.max_requests // load.concurrency)
    results = [Result() for _ in range(load.threads)]
    threads = [
        threading.Thread(target=_thread, args=(port, target, start, end, cap, counted, result))
        for result in results
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Result()
    for result in results:
        total.add(result)
    return total


class Client:
    def __init__(self, pool: ProcessPoolExecutor, load: Load):
        self.pool = pool
        self.load = load

    def measure(self, port: int, target: Target) -> Result:
        """Load `target` from all processes at once; one result for the measured window."""
        start = time.time() + START_DELAY
        futures = [
            self.pool.submit(_process, port, target, self.load, start)
            for _ in range(self.load.processes)
        ]
        total = Result(seconds=self.load.seconds)
        for future in futures:
            total.add(future.result())
        return total


@contextmanager
def client(load: Load) -> Iterator[Client]:
    # "spawn": the client processes must not inherit the parent's database connections.
    with ProcessPoolExecutor(load.processes, mp_context=get_context("spawn")) as pool:
        # Start the processes now, not inside the first measured window.
        list(pool.map(time.sleep, [0.1] * load.processes))
        yield Client(pool, load)
