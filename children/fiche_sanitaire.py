"""La fiche sanitaire de liaison: one page per child, for the staff who look after it.

Everything the leisure centre or the school canteen needs in an emergency: identity,
school, guardians and their phones, people to call or who may pick the child up,
allergies, diets, PAI, vaccinations, doctor, treatments and the consents given.
Each child printed is written to the health-data access log.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Guardian, User
from portail.lib.pdf import render_pdf

from .health_access import record_access
from .models import AuthorisedPerson, Child, Consents, Health, HealthAccess

TEMPLATE = "children/fiche_sanitaire.html"


@dataclass(frozen=True)
class Sheet:
    child: Child
    health: Health | None
    guardians: list[Guardian]
    persons: list[AuthorisedPerson]
    consents: list[tuple[str, bool]] | None


def _consents(consents: Consents | None) -> list[tuple[str, bool]] | None:
    if consents is None:
        return None
    return [
        (str(field.verbose_name).capitalize(), getattr(consents, field.name))
        for field in Consents._meta.get_fields()
        if isinstance(field, models.BooleanField)
    ]


def _related_or_none(child: Child, name: str):
    try:
        return getattr(child, name)
    except models.ObjectDoesNotExist:
        return None


def sheets(children: models.QuerySet) -> list[Sheet]:
    """The children's sheets in a fixed number of queries, ordered as staff file them."""
    children = (
        children.select_related("school", "family", "health", "consents")
        .prefetch_related("family__guardians", "authorised_persons")
        .order_by("school__name", "school_class", "last_name", "first_name", "pk")
    )
    return [
        Sheet(
            child=child,
            health=_related_or_none(child, "health"),
            guardians=list(child.family.guardians.all()),
            # Emergency contacts first: they are the ones the staff look for.
            persons=sorted(
                child.authorised_persons.all(),
                key=lambda person: (not person.emergency_contact, person.last_name),
            ),
            consents=_consents(_related_or_none(child, "consents")),
        )
        for child in children
    ]


def _context(sheets_: list[Sheet], by: User) -> dict:
    return {
        "sheets": sheets_,
        "commune_name": settings.COMMUNE_NAME,
        "commune_phone": settings.COMMUNE_PHONE,
        "printed_at": timezone.localtime(),
        "printed_by": by.get_full_name() or by.username,
    }


@transaction.atomic
def health_sheets_pdf(*, children: models.QuerySet, by: User) -> bytes:
    sheets_ = sheets(children)
    pdf = render_pdf(TEMPLATE, _context(sheets_, by))
    record_access(
        staff=by, child_ids=[s.child.pk for s in sheets_], action=HealthAccess.Action.PRINT
    )
    return pdf


@transaction.atomic
def health_sheets_html(*, children: models.QuerySet, by: User) -> str:
    """The same sheets as HTML (`?html=1`): what the PDF is made from, for checks and tests."""
    sheets_ = sheets(children)
    html = render_to_string(TEMPLATE, _context(sheets_, by))
    record_access(
        staff=by, child_ids=[s.child.pk for s in sheets_], action=HealthAccess.Action.PRINT
    )
    return html
