"""The kitchen's and leisure centre's list: children by school and class, with their diets.

A CSV that French Excel opens as is (portail.lib.csv_export). It holds
health data (diets, allergy and PAI flags), so each child exported is logged.
"""

from django.db import models, transaction
from django.db.models import F

from accounts.models import User
from portail.lib.csv_export import french_excel_csv, text, yes_no

from .health_access import record_access
from .models import HealthAccess

HEADER = [
    "École",
    "Classe",
    "Nom",
    "Prénom",
    "Date de naissance",
    "Régimes alimentaires",
    "Allergie",
    "PAI",
]


@transaction.atomic
def diets_csv(*, children: models.QuerySet, by: User) -> bytes:
    rows = (
        children.select_related("school", "health")
        .order_by(
            F("school__name").asc(nulls_last=True),
            "school_class",
            "last_name",
            "first_name",
            "pk",
        )
        .iterator(chunk_size=2000)
    )
    exported = []
    lines = [HEADER]
    for child in rows:
        health = getattr(child, "health", None)
        lines.append(
            [
                text(child.school.name if child.school else "Sans école"),
                text(child.school_class),
                text(child.last_name),
                text(child.first_name),
                child.birth_date.strftime("%d/%m/%Y"),
                ", ".join(str(label) for label in health.diet_labels) if health else "",
                yes_no(bool(health and health.allergies.strip())),
                yes_no(bool(health and health.pai)),
            ]
        )
        exported.append(child.pk)
    record_access(staff=by, child_ids=exported, action=HealthAccess.Action.EXPORT)
    return french_excel_csv(lines)
