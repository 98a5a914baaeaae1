"""The log of who saw, changed, printed or exported a child's health data, and when."""

from collections.abc import Iterable

from django.utils import timezone

from accounts.models import User

from .models import HealthAccess


def record_access(*, staff: User, child_ids: Iterable[int], action: str) -> None:
    """One row per child, written in a single query whatever the number of children."""
    now = timezone.now()
    HealthAccess.objects.bulk_create(
        (
            HealthAccess(staff=staff, child_id=child_id, action=action, at=now)
            for child_id in dict.fromkeys(child_ids)
        ),
        batch_size=1000,
    )
