"""The rows data migrations create (staff groups and their permissions, services…).

Transactional tests (browser tests behind the live server, concurrency tests) end with
a flush that empties every table; Django then recreates content types and permissions,
but not what RunPython migrations made. Replaying those functions, which are written to
be idempotent, gives the next test the database a real installation has.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython


def restore_reference_data() -> None:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    # The project's own apps: Django's contrib migrations need a live schema editor.
    ours = {
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR / "")
        and ".venv" not in Path(config.path).parts
    }
    seen = set()
    for leaf in sorted(loader.graph.leaf_nodes()):
        for key in loader.graph.forwards_plan(leaf):
            if key in seen or key[0] not in ours:
                continue
            seen.add(key)
            for operation in loader.get_migration(*key).operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, None)
