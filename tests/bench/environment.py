"""The bench's settings and database: production-like, and apart from development data.

The database is the one DATABASE_URL names (from the environment or `.env`) with `_bench`
appended — `portail_bench` by default — or BENCH_DATABASE_URL when set. It is kept
between runs (migrating an existing database is fast); drop it with `dropdb` to start over.
"""

import os
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres:///portail"
HOST = "127.0.0.1"


class SetupError(RuntimeError):
    """The bench cannot measure what it means to: its figures would be meaningless."""


def bench_database_url(environ: dict[str, str]) -> str:
    if environ.get("BENCH_DATABASE_URL"):
        return environ["BENCH_DATABASE_URL"]
    parts = urlsplit(environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    name = parts.path.lstrip("/") or "portail"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}/{name}_bench{query}"


@contextmanager
def configured():
    """Set the environment of a production server for this process and its children,
    create and migrate the bench database, collect the static files; then Django is ready.
    """
    import environ

    # `.env` may name the database; the bench's own variables below win over it.
    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)
    with tempfile.TemporaryDirectory(prefix="portail-bench-") as static_root:
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
                "DATABASE_URL": bench_database_url(os.environ),
                "DEBUG": "false",
                "SECRET_KEY": secrets.token_urlsafe(48),
                "ALLOWED_HOSTS": HOST,
                # The load client speaks plain HTTP to 127.0.0.1, as a TLS proxy would.
                "SECURE_SSL_REDIRECT": "false",
                # A production server: `.env`'s PayFiP simulator (development) stays off.
                "PAYFIP_SIMULATOR": "false",
                "BENCH_STATIC_ROOT": static_root,
            }
        )
        import django
        from django.conf import settings
        from django.core.management import call_command
        from django.db import connections

        django.setup()
        print(f"Bench database « {settings.DATABASES['default']['NAME']} » (kept between runs).")
        call_command("ensure_database", verbosity=0)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        try:
            yield
        finally:
            connections.close_all()
