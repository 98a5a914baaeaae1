"""The security log is kept SECURITY_LOG_RETENTION_DAYS (a year by default), then purged."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import SecurityEvent, SecurityEventKind
from portail.lib import locks

pytestmark = pytest.mark.django_db


def purge(*args) -> str:
    out = StringIO()
    call_command("purge_security_log", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def log(time_machine):
    time_machine.move_to("2026-12-05 03:30:00+01:00", tick=False)
    now = timezone.now()
    for days in (400, 366, 364, 1):
        SecurityEvent.objects.create(
            kind=SecurityEventKind.LOGIN_FAILED,
            username=f"il y a {days} jours",
            at=now - timedelta(days=days),
        )


def kept() -> list[str]:
    return sorted(SecurityEvent.objects.values_list("username", flat=True))


def test_lines_older_than_a_year_go_the_others_stay(log):
    assert purge() == "2 ligne(s) de plus de 365 jours supprimée(s).\n"
    assert kept() == ["il y a 1 jours", "il y a 364 jours"]
    assert purge() == "0 ligne(s) de plus de 365 jours supprimée(s).\n"


def test_the_retention_is_a_setting(log, settings):
    settings.SECURITY_LOG_RETENTION_DAYS = 30
    purge()
    assert kept() == ["il y a 1 jours"]


def test_dry_run_counts_and_deletes_nothing(log):
    assert "2 ligne(s) de plus de 365 jours à supprimer (simulation" in purge("--dry-run")
    assert len(kept()) == 4


def test_a_second_run_at_once_does_nothing(log):
    assert locks.acquire("accounts.purge_security_log", holder="autre-serveur:1:x")
    assert "Un autre passage est en cours" in purge()
    assert len(kept()) == 4
