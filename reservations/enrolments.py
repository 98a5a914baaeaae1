"""Staff decide enrolments (inscriptions): validated or refused, and each family is told.

Only requested enrolments are decided (portail.lib.decisions); one already decided is left
as it is, so that two agents clicking at once, or the same action run twice, decide and
notify once.
A family gets one message for all its children's enrolments decided together.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from messaging.models import Kind
from messaging.services import notify

from .models import Enrolment, EnrolmentStatus


@dataclass(frozen=True)
class Decision:
    decided: list[Enrolment]
    skipped: int  # already validated or refused


def _line(enrolment: Enrolment) -> str:
    return f"- {enrolment.child.first_name} : {enrolment.activity.name} ({enrolment.school_year})"


def _decide(
    *, enrolment_ids: Iterable[int], status: str, by, at: datetime | None, reason: str = ""
) -> Decision:
    ids = set(enrolment_ids)
    pending = (
        Enrolment.objects.filter(pk__in=ids)
        .select_related("child__family", "activity", "school_year")
        .decide(by=by, status=status, reason=reason, at=at)
    )
    by_family = defaultdict(list)
    for enrolment in pending:
        by_family[enrolment.child.family].append(enrolment)
    for family, enrolments in by_family.items():
        _tell(family, enrolments, status=status, reason=reason)
    return Decision(decided=pending, skipped=len(ids) - len(pending))


def _tell(family, enrolments: list[Enrolment], *, status: str, reason: str) -> None:
    lines = "\n".join(_line(e) for e in enrolments)
    several = len(enrolments) > 1
    what = "les inscriptions suivantes" if several else "l'inscription"
    if status == EnrolmentStatus.VALIDATED:
        subject = "Inscriptions validées" if several else "Inscription validée"
        body = (
            f"La mairie a validé {what} :"
            f"\n{lines}\n\nVous pouvez maintenant réserver depuis l'onglet Réservations."
        )
        notify(
            family,
            Kind.INFO,
            subject,
            body,
            link="/reservations/",
            link_label="Réserver",
        )
        return
    subject = "Inscriptions refusées" if several else "Inscription refusée"
    body = (
        f"La mairie n'a pas pu accepter {what} :\n{lines}\n\nMotif : {reason}\n\n"
        "Pour toute question, écrivez-nous depuis « Nous contacter »."
    )
    notify(family, Kind.INFO, subject, body, link="/contact/", link_label="Nous contacter")


@transaction.atomic
def validate(*, enrolment_ids: Iterable[int], by, at: datetime | None = None) -> Decision:
    """Validate the requested enrolments among `enrolment_ids`; their families are told."""
    return _decide(enrolment_ids=enrolment_ids, status=EnrolmentStatus.VALIDATED, by=by, at=at)


@transaction.atomic
def refuse(
    *, enrolment_ids: Iterable[int], by, reason: str, at: datetime | None = None
) -> Decision:
    """Refuse the requested enrolments among `enrolment_ids`, giving the families a reason."""
    reason = reason.strip()
    if not reason:
        raise ValueError("Le motif du refus est obligatoire.")
    return _decide(
        enrolment_ids=enrolment_ids, status=EnrolmentStatus.REFUSED, by=by, at=at, reason=reason
    )
