"""The audiences this app adds to messaging: the families of a school, or of one class.

Registered from ChildrenConfig.ready(); messaging never imports this app. Values are
strings: a school is its pk ("3"), a class is "<school pk>:<class name>" ("3:CE2").
"""

from django.db.models import QuerySet

from messaging import audiences

from .models import Child, School

# Classes listed in the order of the school years, then any other name alphabetically.
LEVELS = ["TPS", "PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"]


def _children() -> QuerySet:
    # No default ordering: its columns would make DISTINCT return a family once per child.
    return Child.objects.filter(school__isnull=False).order_by()


def _school_choices() -> list[tuple[str, str]]:
    return [(str(pk), name) for pk, name in School.objects.values_list("pk", "name")]


def _school_recipients(value: str) -> QuerySet:
    if not value.isdigit():
        return _children().none().values_list("family_id", flat=True)
    return _children().filter(school_id=int(value)).values_list("family_id", flat=True).distinct()


def _school_values_for(recipient_id: int) -> list[str]:
    schools = _children().filter(family_id=recipient_id).values_list("school_id", flat=True)
    return [str(pk) for pk in set(schools)]


def class_value(school_id: int, school_class: str) -> str:
    return f"{school_id}:{school_class}"


def _parse_class(value: str) -> tuple[int, str] | None:
    school, _, name = value.partition(":")
    if not school.isdigit() or not name:
        return None
    return int(school), name


def _class_order(name: str) -> tuple[int, str]:
    upper = name.upper()
    return (LEVELS.index(upper) if upper in LEVELS else len(LEVELS), upper)


def _class_choices() -> list[tuple[str, str]]:
    rows = (
        _children()
        .exclude(school_class="")
        .values_list("school_id", "school__name", "school_class")
        .distinct()
    )
    rows = sorted(rows, key=lambda row: (row[1], _class_order(row[2])))
    return [(class_value(pk, klass), f"{school} — {klass}") for pk, school, klass in rows]


def _class_recipients(value: str) -> QuerySet:
    parsed = _parse_class(value)
    if parsed is None:
        return _children().none().values_list("family_id", flat=True)
    school_id, name = parsed
    return (
        _children()
        .filter(school_id=school_id, school_class=name)
        .values_list("family_id", flat=True)
        .distinct()
    )


def _class_values_for(recipient_id: int) -> list[str]:
    rows = (
        _children()
        .filter(family_id=recipient_id)
        .exclude(school_class="")
        .values_list("school_id", "school_class")
    )
    return sorted({class_value(pk, klass) for pk, klass in rows})


def register() -> None:
    audiences.register(
        audiences.Audience(
            key="school",
            label="Une école",
            choices=_school_choices,
            recipients=_school_recipients,
            values_for=_school_values_for,
        )
    )
    audiences.register(
        audiences.Audience(
            key="class",
            label="Une classe",
            choices=_class_choices,
            recipients=_class_recipients,
            values_for=_class_values_for,
        )
    )
