"""The parts of a record a family reads and asks to change, one request per part.

A section names the fields shown together under one heading (« Adresse et coordonnées
du foyer »), the key its change requests are filed under, and the form the parent fills
in. The family's sections are listed here; a child's live in children/sections.py.
"""

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import capfirst

from . import change_requests as cr
from .models import ChangeRequest, Family, Guardian
from .record_forms import FamilyBillingForm, QuotientForm, RecordForm

EMPTY = "Non renseigné"


@dataclass(frozen=True)
class Section:
    slug: str  # in the URL: /compte/coordonnees/modifier/
    key: str  # ChangeRequest.section: one pending request per record and key
    title: str
    model: type[models.Model]
    fields: tuple[str, ...]
    form: type[forms.ModelForm] = RecordForm
    intro: str = ""

    @property
    def anchor(self) -> str:
        return self.slug

    def form_class(self) -> type[forms.ModelForm]:
        return forms.modelform_factory(self.model, form=self.form, fields=self.fields)

    def rows(self, instance: models.Model) -> list[tuple[str, str]]:
        """(label, value) of each field, as the family reads them."""
        return [(label_of(self.model, name), readable(instance, name)) for name in self.fields]


def label_of(model: type[models.Model], name: str) -> str:
    return str(capfirst(model._meta.get_field(name).verbose_name))


def readable(instance: models.Model, name: str) -> str:
    """A field's value on record: « Oui », « 3 novembre 2026 », the guardian's name…"""
    model_field = instance._meta.get_field(name)
    if model_field.is_relation:
        related = getattr(instance, name)  # loaded with select_related by the page
        return cr.label_of_record(related) if related is not None else EMPTY
    value = model_field.value_from_object(instance)
    if value in (None, "", []) and not isinstance(value, bool):
        return EMPTY
    return cr.display(type(instance), name, cr.dump(model_field, value))


FAMILY_SECTIONS = (
    Section(
        slug="coordonnees",
        key="famille-coordonnees",
        title="Adresse et coordonnées du foyer",
        model=Family,
        fields=("address_line1", "address_line2", "postal_code", "city", "phone", "email"),
    ),
    Section(
        slug="allocations",
        key="famille-allocations",
        title="Allocations et quotient familial",
        model=Family,
        fields=(
            "regime",
            "allocataire_number",
            "quotient",
            "quotient_valid_from",
            "quotient_valid_until",
            "quotient_document",
        ),
        form=QuotientForm,
        intro=(
            "Joignez votre attestation CAF ou MSA : envoyez-la d'abord dans « Mes "
            "justificatifs », puis choisissez-la ici."
        ),
    ),
    Section(
        slug="facturation",
        key="famille-facturation",
        title="Facturation",
        model=Family,
        fields=("billing_guardian",),
        form=FamilyBillingForm,
    ),
    Section(
        slug="preferences",
        key="famille-preferences",
        title="Préférences",
        model=Family,
        fields=("email_notifications",),
    ),
)

GUARDIAN_SECTION = Section(
    slug="responsables",
    key="responsable",
    title="Responsables légaux",
    model=Guardian,
    fields=(
        "first_name",
        "last_name",
        "relationship",
        "mobile_phone",
        "home_phone",
        "work_phone",
        "email",
        "employer",
        "can_be_billed",
    ),
)


def family_section(slug: str) -> Section | None:
    return next((section for section in FAMILY_SECTIONS if section.slug == slug), None)


def quotient_status(family: Family, today: date) -> str:
    """What the family's quotient means for its prices today, in plain words."""
    if family.quotient_on(today) is None:
        return "Sans quotient valide, le tarif le plus élevé s'applique."
    return ""


# --- pending requests, matched to what they are about -------------------------------------


@dataclass
class Pending:
    """A request waiting for the town hall, with its rows « field : old → new »."""

    request: ChangeRequest
    changes: list = field(default_factory=list)

    @property
    def is_creation(self) -> bool:
        """Asked to create a record (still true once approved, unlike request.is_creation)."""
        return bool(self.request.fixed)


def pending_requests(family_id: int | None, *models_: type[models.Model]) -> list[ChangeRequest]:
    """The family's pending requests about these models, newest first (one query)."""
    content_types = ContentType.objects.get_for_models(*models_).values()  # cached
    return list(
        ChangeRequest.objects.for_family(family_id)
        .pending()
        .filter(content_type__in=content_types)
        .select_related("content_type")
    )


def matching(
    pending: list[ChangeRequest],
    section: Section,
    object_id: int | None,
    fixed: dict | None = None,
) -> list[Pending]:
    """The pending requests of one section of one record (or of its creation)."""
    return [
        Pending(request, cr.field_changes(request))
        for request in pending
        if request.section == section.key
        and request.content_type.model_class() is section.model
        and request.object_id == object_id
        and (fixed is None or request.fixed == fixed)
    ]


def register() -> None:
    """File the family's sections under their titles (the admin's « rubrique »)."""
    cr.register_sections([*FAMILY_SECTIONS, GUARDIAN_SECTION])
