"""Who may open a family's medical justificatif, and the log each opening writes.

Messaging knows which kinds of document are medical (messaging.models.MEDICAL_KINDS);
it does not know health permissions nor the health-data access log, which belong to the
app holding health data. That app registers both at start-up (children does, in its
AppConfig.ready()):

    document_access.register(permission="children.view_health", on_open=log)

Until something is registered, a medical document opens for nobody on the staff side.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import FamilyDocument


@dataclass(frozen=True)
class HealthGuard:
    permission: str
    on_open: Callable[..., None]  # (user, document, *, downloaded: bool) → writes the log


_guard: HealthGuard | None = None


def register(*, permission: str, on_open: Callable[..., None]) -> None:
    global _guard
    _guard = HealthGuard(permission, on_open)


def may_see_medical(user) -> bool:
    return _guard is not None and user.has_perm(_guard.permission)


def may_open(user, document: FamilyDocument) -> bool:
    return not document.is_medical or may_see_medical(user)


def opened(user, document: FamilyDocument, *, downloaded: bool) -> None:
    """Log that staff saw (or downloaded) a medical document; nothing for other kinds."""
    if document.is_medical and _guard is not None:
        _guard.on_open(user, document, downloaded=downloaded)
