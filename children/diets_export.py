"""The kitchen's and leisure centre's list: children by school and class, with their diets.

A CSV that French Excel opens as is (UTF-8 with BOM, « ; » between columns). It holds
health data (diets, allergy and PAI flags), so each child exported is logged.
"""

import csv
import io

from django.db import models, transaction
from django.db.models import F

from accounts.models import User

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


def _cell(value: str) -> str:
    """Text that Excel could take for a formula is quoted: a name is never run."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _yes_no(flag: bool) -> str:
    return "Oui" if flag else "Non"


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
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    exported = []
    for child in rows:
        health = getattr(child, "health", None)
        writer.writerow(
            [
                _cell(child.school.name if child.school else "Sans école"),
                _cell(child.school_class),
                _cell(child.last_name),
                _cell(child.first_name),
                child.birth_date.strftime("%d/%m/%Y"),
                ", ".join(str(label) for label in health.diet_labels) if health else "",
                _yes_no(bool(health and health.allergies.strip())),
                _yes_no(bool(health and health.pai)),
            ]
        )
        exported.append(child.pk)
    record_access(staff=by, child_ids=exported, action=HealthAccess.Action.EXPORT)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
