"""Health data is read through one check that also writes the access log.

`may_see_health(user)` is the permission (the group « Données de santé »),
`record_access` the log of who saw, changed, printed or exported a child's health data,
and when. The apps that may not import children (accounts' change requests, messaging's
justificatifs) receive both at start-up from `register()`.
"""

from collections.abc import Iterable

from django.utils import timezone

from accounts import change_requests
from accounts.models import User
from messaging import document_access

from .models import Child, Health, HealthAccess

VIEW_HEALTH = "children.view_health"
CHANGE_HEALTH = "children.change_health"


def may_see_health(user) -> bool:
    return user.has_perm(VIEW_HEALTH)


def record_access(
    *, staff: User, child_ids: Iterable[int], action: str, document_id: int | None = None
) -> None:
    """One row per child, written in a single query whatever the number of children."""
    now = timezone.now()
    HealthAccess.objects.bulk_create(
        (
            HealthAccess(
                staff=staff, child_id=child_id, action=action, document_id=document_id, at=now
            )
            for child_id in dict.fromkeys(child_ids)
        ),
        batch_size=1000,
    )


def document_children(document) -> list[int]:
    """The children a family's justificatif may concern: the child whose PAI it is, or
    else every child of the family."""
    pai = list(Health.objects.filter(pai_document=document).values_list("child_id", flat=True))
    if pai:
        return pai
    return list(Child.objects.filter(family_id=document.family_id).values_list("pk", flat=True))


def record_document_access(
    *,
    staff: User,
    document,
    action: str = HealthAccess.Action.DOCUMENT,
    child_ids: Iterable[int] | None = None,
) -> None:
    """A medical justificatif opened: one row per child it may concern, with the document
    (a single row without a child when the family has none on record yet)."""
    child_ids = list(child_ids) if child_ids is not None else document_children(document)
    record_access(
        staff=staff, child_ids=child_ids or [None], action=action, document_id=document.pk
    )


def _log_change_request_view(request, change_request, health) -> None:
    """A change request about health data shows it: that look is logged too."""
    child_id = health.child_id if health is not None else change_request.fixed.get("child")
    if child_id:
        record_access(staff=request.user, child_ids=[child_id], action=HealthAccess.Action.REQUEST)


def _log_document(user, document, *, downloaded: bool) -> None:
    action = HealthAccess.Action.DOCUMENT if downloaded else HealthAccess.Action.VIEW
    record_document_access(staff=user, document=document, action=action)


def register() -> None:
    """Hand the check and the log to accounts and messaging (ChildrenConfig.ready)."""
    change_requests.restrict(
        Health, view=VIEW_HEALTH, decide=CHANGE_HEALTH, on_view=_log_change_request_view
    )
    document_access.register(permission=VIEW_HEALTH, on_open=_log_document)
