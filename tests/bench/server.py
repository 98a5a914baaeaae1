"""The production server, as deployed: gunicorn, DEBUG off, started and stopped around a run."""

import http.client
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO

from .environment import BASE_DIR, HOST, SetupError

WORKERS = 2
START_TIMEOUT = 30


class ServerError(SetupError):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    conn = http.client.HTTPConnection(HOST, port, timeout=2)
    try:
        conn.request("GET", "/sante/")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


@dataclass(frozen=True)
class Server:
    port: int
    _log: IO[str]

    def log(self) -> str:
        """What gunicorn and Django wrote so far (start-up, errors and their tracebacks)."""
        self._log.seek(0)
        return self._log.read()


@contextmanager
def gunicorn(workers: int = WORKERS) -> Iterator[Server]:
    """Serve the project on a free local port with the current environment."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portail.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{port}",
            ],
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT
            while not _answers(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise ServerError(f"gunicorn did not start:\n{Server(port, log).log()}")
                time.sleep(0.2)
            yield Server(port, log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
