"""Settings of the benchmarks: the project's own, plus the bare baseline view.

`environment.configure()` sets the variables read here and by `portail.settings`
(DEBUG=false, a random SECRET_KEY, the bench database): do not use this module directly.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from portail.settings import *  # noqa: F403
from portail.settings import TEMPLATES

ROOT_URLCONF = "tests.bench.urls"

TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]}
]

# With DEBUG off, whitenoise serves the collected files and `{% static %}` needs their
# manifest: the bench collects them into a directory of its own, not the deployment's.
try:
    STATIC_ROOT = Path(os.environ["BENCH_STATIC_ROOT"])
except KeyError:
    raise ImproperlyConfigured(
        "BENCH_STATIC_ROOT is not set: run the benchmarks with `make bench`."
    ) from None
