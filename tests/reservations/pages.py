"""Helpers for the parent's reservation pages: a frozen clock and what a page says."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tests.helpers import page_text

PARIS = ZoneInfo("Europe/Paris")
# Monday 30 November 2026, 8:00: the J-2 10h deadline of Thursday 3 December is open,
# Monday 30 November and Tuesday 1 December are past theirs.
MONDAY_8H = datetime(2026, 11, 30, 8, 0, tzinfo=PARIS)
THURSDAY = date(2026, 12, 3)
FRIDAY = date(2026, 12, 4)
CHRISTMAS_MONDAY = date(2026, 12, 21)  # ALSH vacances open, canteen closed


def freeze(time_machine, client, user, at: datetime = MONDAY_8H):
    """Stop the clock at `at`, then log in: a session opened before would have expired."""
    time_machine.move_to(at, tick=False)
    client.force_login(user)
    return client


def choice(child, unit, day: date, action: str = "book") -> str:
    return f"{child.pk}:{unit.pk}:{day:%Y-%m-%d}:{action}"


def text(response) -> str:
    """The page's visible words, tags dropped and spaces collapsed."""
    words = re.sub(r"<[^>]+>", " ", page_text(response))
    return re.sub(r"\s+", " ", words)


def section(response, start: str, end: str) -> str:
    page = text(response)
    return page[page.index(start) : page.index(end, page.index(start))]
