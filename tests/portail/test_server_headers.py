"""The production server (gunicorn, started from the checkout as the README says) does not
say what it is."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def headers_from_gunicorn(*extra_args: str) -> dict[str, str]:
    """Start gunicorn on a free port, read the headers of one answer to /sante/, stop it."""
    port = free_port()
    env = {**os.environ, "ENV_FILE": os.devnull, "DEBUG": "true", "PAYFIP_SIMULATOR": "false"}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portail.wsgi", "--workers", "1"]
        + ["--bind", f"127.0.0.1:{port}", *extra_args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                conn.request("GET", "/sante/")
                response = conn.getresponse()
                response.read()
                return {name.lower(): value for name, value in response.getheaders()}
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.fail(f"gunicorn did not start: {process.communicate()[1]}")
                time.sleep(0.2)
            finally:
                conn.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_gunicorn_started_from_the_checkout_sends_no_server_header():
    headers = headers_from_gunicorn()
    assert "server" not in headers
    assert headers["content-type"] == "text/plain; charset=utf-8"  # it is the portal answering
    assert "date" in headers


def test_without_the_checkout_s_config_gunicorn_would_say_its_name():
    # The same start with an empty configuration: what the config file is there to prevent.
    assert headers_from_gunicorn("--config", os.devnull)["server"].startswith("gunicorn")
