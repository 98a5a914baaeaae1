"""What a page reads of a few small tables every family shares, kept by each process and
reused as long as those tables are unchanged.

The reservations month reads, for every family, the same activities, units, deadline
rules, school years and closures, and billing's tariffs: loading them through the ORM
cost more than the rest of the page's queries. A `Snapshot` keeps what its `load`
function made with a digest of every row of its tables; each use asks PostgreSQL for
that digest again — one query of a fraction of a millisecond, however many tables — and
loads anew when it differs. Any process on any server therefore answers as if it had read
the tables: a change by the staff shows on the very next request.

The digest covers every column of every row of the tables named, nothing else: a snapshot
must name every table its `load` reads. What it keeps is shared by the requests of a
process and must never be modified.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from django.db import connection
from django.db.models import Model

T = TypeVar("T")


def digest_sql(tables: Iterable[str]) -> str:
    """One row, one column: an md5 of the text of every row of `tables`, in a set order."""
    quote = connection.ops.quote_name
    # A table without rows counts as an empty string, so that each keeps its place.
    rows = "string_agg(t::text, ',' ORDER BY t::text)"
    parts = ", ".join(
        f"coalesce((SELECT {rows} FROM {quote(table)} t), '')"  # noqa: S608 — model tables
        for table in tables
    )
    return f"SELECT md5(concat_ws(';', {parts}))"


@dataclass
class Snapshot(Generic[T]):
    """`load()`'s result, kept while the rows of `models`' tables stay the same."""

    models: list[type[Model]]
    load: Callable[[], T]
    _kept: tuple[str, T] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._sql = digest_sql(model._meta.db_table for model in self.models)

    def get(self) -> T:
        with connection.cursor() as cursor:
            cursor.execute(self._sql)
            digest = cursor.fetchone()[0]
        kept = self._kept
        if kept is not None and kept[0] == digest:
            return kept[1]
        value = self.load()
        # Loaded after the digest was read: a change in between is loaded now and, its
        # digest differing from the one kept, loaded again by the next request.
        self._kept = (digest, value)
        return value
