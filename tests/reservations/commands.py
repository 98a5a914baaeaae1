"""Running a cron command as cron would, alone or twice at the same moment."""

import io
import threading

from django.core.management import call_command
from django.db import connections


def run(name: str, *args: str) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def run_together(name: str, times: int = 2) -> list[str]:
    """`times` runs of the command started at the same instant, each on its own connection."""
    start = threading.Barrier(times)
    outputs, errors = [], []

    def target():
        start.wait()
        try:
            outputs.append(run(name))
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return outputs
