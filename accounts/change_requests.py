"""Change requests: a parent asks, staff decide, and only then is the record changed.

Any model can be the target of a request (a family, a guardian, a child, its health
data, an authorised person…): the values are kept per field as they were when the
parent asked ("old") and as the parent wants them ("new"), serialised to JSON, and
restored through each model field's own `to_python` when staff approve.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import capfirst

from messaging.models import FamilyDocument, Kind
from messaging.services import notify

from .models import ChangeRequest, ChangeStatus, Family, User

CONFIDENTIAL = (
    "Pour protéger les données de santé, ce message n'en reprend pas le contenu : "
    "consultez la fiche sur le portail."
)


class NothingChanged(Exception):
    """The form was saved with the values already on record."""


class AlreadyPending(Exception):
    """A request for this section is already waiting for the town hall."""


class NotPending(Exception):
    """The request was already decided or withdrawn; `summary` says how, by whom, when."""

    def __init__(self, change_request: ChangeRequest):
        self.summary = change_request.decision_summary()
        super().__init__(self.summary)


class ChangeConflict(Exception):
    """The record changed since the parent asked; staff must decide knowingly."""

    def __init__(self, fields: list[str]):
        super().__init__(", ".join(fields))
        self.fields = fields


# --- the sections requests are filed under, by their titles --------------------------------


class Titled(Protocol):
    key: str  # ChangeRequest.section
    title: str


_section_titles: dict[str, str] = {}


def register_sections(sections: Iterable[Titled], *, prefix: str = "") -> None:
    """Each app names its own sections at start-up (children a child's, « Enfant : … »)."""
    for section in sections:
        _section_titles[section.key] = f"{prefix}{section.title}"


def section_title(key: str) -> str:
    return _section_titles.get(key, key)


# --- requests about confidential records ---------------------------------------------------


@dataclass(frozen=True)
class Restriction:
    """Requests about this model are shown and decided only with these permissions, and
    what the family is told says that the record changed, never the values."""

    view: str
    decide: str
    on_view: Callable | None = None  # (request, change_request, instance) → logs the look


_restrictions: dict[str, Restriction] = {}


def restrict(model: type[models.Model], *, view: str, decide: str, on_view=None) -> None:
    """Called at start-up by the app that owns the model (children restricts health data)."""
    _restrictions[model._meta.label_lower] = Restriction(view, decide, on_view)


def restriction_of(change_request: ChangeRequest) -> Restriction | None:
    content_type = change_request.content_type
    return _restrictions.get(f"{content_type.app_label}.{content_type.model}")


def is_confidential(change_request: ChangeRequest) -> bool:
    return restriction_of(change_request) is not None


# --- values ------------------------------------------------------------------------------


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def dump(field: models.Field, value) -> object:
    """A JSON-friendly form of a field's value, comparable between two moments."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return str(value.quantize(Decimal("0.01")))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return sorted(value)
    if value is None and field.empty_strings_allowed and not field.null:
        return ""
    return value


def load(field: models.Field, raw) -> object:
    if field.is_relation:
        return None if raw in (None, "") else field.target_field.to_python(raw)
    return field.to_python(raw)


def current_values(instance: models.Model, fields) -> dict[str, object]:
    return {
        name: dump(
            _field(type(instance), name), _field(type(instance), name).value_from_object(instance)
        )
        for name in fields
    }


def display(model: type[models.Model], name: str, raw) -> str:
    """A value as a person reads it: « Oui », « 3 novembre 2026 », « Sans porc, Sans gluten »."""
    field = _field(model, name)
    if raw in (None, "", []):
        return "—"
    value = load(field, raw)
    if isinstance(field, models.BooleanField):
        return "Oui" if value else "Non"
    if field.is_relation:
        target = field.related_model.objects.filter(pk=value).first()
        return label_of_record(target) if target else "—"
    choices = dict(getattr(getattr(field, "base_field", None), "flatchoices", None) or ())
    if isinstance(value, list):
        return ", ".join(str(choices.get(item, item)) for item in value)
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, Decimal):
        return formats.number_format(value, 2)
    return str(value)


def label_of_record(record: models.Model) -> str:
    """A related record as the family names it: a justificatif with its file name (its
    str() stays neutral for staff pages, where a medical file name would be health data)."""
    return record.family_label if isinstance(record, FamilyDocument) else str(record)


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    old: str
    new: str
    current: str
    changed_since: bool


def field_changes(
    change_request: ChangeRequest, instance: models.Model | None = None
) -> list[FieldChange]:
    """Each requested field: label, value when asked, value asked for, value now."""
    model = change_request.content_type.model_class()
    now = current_values(instance, change_request.changes) if instance is not None else {}
    rows = []
    for name, values in change_request.changes.items():
        current = now.get(name, values["old"])
        rows.append(
            FieldChange(
                name=name,
                label=str(capfirst(_field(model, name).verbose_name)),
                old=display(model, name, values["old"]),
                new=display(model, name, values["new"]),
                current=display(model, name, current),
                changed_since=current != values["old"],
            )
        )
    return rows


# --- the family asks ---------------------------------------------------------------------


@transaction.atomic
def submit(
    *,
    family: Family,
    section: str,
    label: str,
    by: User,
    data: dict,
    instance: models.Model | None = None,
    model: type[models.Model] | None = None,
    fixed: dict | None = None,
    page_url: str = "",
) -> ChangeRequest:
    """Record what the parent asks: a change to `instance`, or a new `model` record.

    `data` are the cleaned values of the parent's form (already validated like the admin
    would); only the fields whose value differs are kept.
    """
    model = type(instance) if instance is not None else model
    if instance is not None:
        before = current_values(instance, data)
        changes = {
            name: {"old": before[name], "new": dump(_field(model, name), value)}
            for name, value in data.items()
            if dump(_field(model, name), value) != before[name]
        }
    else:
        changes = {
            name: {"old": dump(_field(model, name), None), "new": dump(_field(model, name), value)}
            for name, value in data.items()
        }
    if not changes:
        raise NothingChanged
    try:
        with transaction.atomic():
            return ChangeRequest.objects.create(
                family=family,
                section=section,
                label=label,
                content_type=ContentType.objects.get_for_model(model),
                object_id=instance.pk if instance is not None else None,
                changes=changes,
                fixed=fixed or {},
                page_url=page_url,
                requested_by=by,
            )
    except IntegrityError:
        raise AlreadyPending from None


@transaction.atomic
def withdraw(*, change_request: ChangeRequest, by: User) -> None:
    if not change_request.decide(by=by, status=ChangeStatus.WITHDRAWN):
        raise NotPending(change_request)


# --- staff decide ------------------------------------------------------------------------


def _decide(change_request: ChangeRequest, *, by: User, status: str, reason: str = ""):
    """The request as now on record, decided by this call, or NotPending. The decision is
    undone with the transaction if what follows it fails (a conflict, a record invalid)."""
    change_request = ChangeRequest.objects.select_related("content_type", "family").get(
        pk=change_request.pk
    )
    if not change_request.decide(by=by, status=status, reason=reason):
        raise NotPending(change_request)
    return change_request


def conflicts(change_request: ChangeRequest, instance: models.Model | None) -> list[str]:
    """The fields whose value on record is no longer what the parent saw."""
    if instance is None:
        return []
    return [row.label for row in field_changes(change_request, instance) if row.changed_since]


def target(change_request: ChangeRequest, *, lock: bool = False) -> models.Model | None:
    if change_request.object_id is None:
        return None
    manager = change_request.content_type.model_class()._default_manager
    if lock:
        manager = manager.select_for_update()
    return manager.filter(pk=change_request.object_id).first()


@transaction.atomic
def approve(*, change_request: ChangeRequest, by: User, force: bool = False) -> models.Model:
    """Apply exactly the requested values, or raise ChangeConflict if the record moved on."""
    change_request = _decide(change_request, by=by, status=ChangeStatus.APPROVED)
    model = change_request.content_type.model_class()
    instance = target(change_request, lock=True)
    if change_request.object_id is not None and instance is None:
        raise ValidationError("La fiche concernée n'existe plus : refusez la demande.")
    moved = conflicts(change_request, instance)
    if moved and not force:
        raise ChangeConflict(moved)
    if instance is None:
        instance = model(
            **{
                _field(model, name).attname: load(_field(model, name), raw)
                for name, raw in change_request.fixed.items()
            }
        )
    for name, values in change_request.changes.items():
        field = _field(model, name)
        setattr(instance, field.attname, load(field, values["new"]))
    instance.full_clean()
    instance._history_user = by  # django-simple-history records who applied it
    instance.save()
    if change_request.is_creation:
        change_request.object_id = instance.pk
        change_request.save(update_fields=["object_id"])
    if is_confidential(change_request):
        # The inbox and the outbox are read by every clerk: no value of a health record.
        body = (
            f"Votre demande du {_asked_on(change_request)} a été acceptée : la fiche "
            f"« {change_request.label} » a été mise à jour.\n\n{CONFIDENTIAL}"
        )
    else:
        lines = "\n".join(f"- {row.label} : {row.new}" for row in field_changes(change_request))
        body = (
            f"Votre demande du {_asked_on(change_request)} a été acceptée et enregistrée par "
            f"la mairie :\n{lines}"
        )
    _tell_family(change_request, f"Demande acceptée : {change_request.label}", body)
    return instance


@transaction.atomic
def reject(*, change_request: ChangeRequest, by: User, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ValidationError("Indiquez le motif du refus : la famille le recevra.")
    change_request = _decide(change_request, by=by, status=ChangeStatus.REJECTED, reason=reason)
    if is_confidential(change_request):
        # The reason may name what was asked: the family reads it in « Mes demandes ».
        why = "Le motif est indiqué dans « Mes demandes » sur le portail."
        link = reverse("accounts:change_requests")
    else:
        why, link = f"Motif : {reason}", None
    _tell_family(
        change_request,
        f"Demande refusée : {change_request.label}",
        f"Votre demande du {_asked_on(change_request)} n'a pas été acceptée par la mairie."
        f"\n\n{why}\n\nVotre fiche reste inchangée. Vous pouvez faire une nouvelle demande.",
        link=link,
    )


def _asked_on(change_request: ChangeRequest) -> str:
    return formats.date_format(timezone.localtime(change_request.requested_at), "j F Y")


def _tell_family(
    change_request: ChangeRequest, subject: str, body: str, *, link: str | None = None
) -> None:
    """The answer lands in the family's inbox (and by e-mail), as the seed promises."""
    if link is not None:
        link_label = "Mes demandes"
    else:
        link = change_request.page_url
        link_label = "Voir la fiche" if link else ""
    notify(
        change_request.family,
        Kind.CHANGE_REQUEST,
        subject,
        body,
        link=link,
        link_label=link_label,
    )
