"""The sections of a child's record, as the « Mes enfants » menu lists them."""

from accounts.change_requests import register_sections
from accounts.sections import Section

from .models import AuthorisedPerson, Child, Consents, Health
from .record_forms import HealthForm

CIVIL_FIELDS = ("first_name", "last_name", "birth_date", "sex", "birth_place")
SCHOOL_FIELDS = ("school", "school_class")

CHILD_SECTIONS = (
    Section(
        slug="etat-civil",
        key="enfant-etat-civil",
        title="État civil",
        model=Child,
        fields=CIVIL_FIELDS,
    ),
    Section(
        slug="scolarite",
        key="enfant-scolarite",
        title="Scolarité",
        model=Child,
        fields=SCHOOL_FIELDS,
    ),
    Section(
        slug="sante",
        key="enfant-sante",
        title="Santé",
        model=Health,
        fields=(
            "allergies",
            "diets",
            "pai",
            "pai_details",
            "pai_document",
            "vaccinations_up_to_date",
            "last_vaccination_date",
            "doctor_name",
            "doctor_phone",
            "treatments",
            "medical_notes",
        ),
        form=HealthForm,
        intro=(
            "Ces informations ne sont lues que par les agents de la mairie habilités. "
            "Pour un PAI, envoyez d'abord le document dans « Mes justificatifs » "
            "(type « Document PAI »), puis choisissez-le ici."
        ),
    ),
    Section(
        slug="autorisations",
        key="enfant-autorisations",
        title="Autorisations",
        model=Consents,
        fields=("image_rights", "outings", "transport", "emergency_care", "leave_alone"),
        intro="Cochez ce que vous autorisez.",
    ),
)

PERSON_SECTION = Section(
    slug="personnes",
    key="enfant-personne",
    title="Personnes autorisées",
    model=AuthorisedPerson,
    fields=("first_name", "last_name", "relationship", "phone", "can_pick_up", "emergency_contact"),
    intro="Les personnes qui peuvent venir chercher l'enfant ou être appelées en cas d'urgence.",
)

NEW_CHILD_SECTION = Section(
    slug="nouveau",
    key="enfant-nouveau",
    title="Nouvel enfant",
    model=Child,
    fields=CIVIL_FIELDS + SCHOOL_FIELDS,
)


def child_section(slug: str) -> Section | None:
    return next((section for section in CHILD_SECTIONS if section.slug == slug), None)


def record_of(child: Child, section: Section):
    """The record a section shows: the child, or its health data or consents (maybe unsaved)."""
    if section.model is Child:
        return child
    try:
        accessor = section.model._meta.get_field("child").remote_field.get_accessor_name()
        return getattr(child, accessor)
    except section.model.DoesNotExist:
        return section.model(child=child)  # nothing on record yet: the defaults


def register() -> None:
    """File a child's sections under their titles (the admin's « rubrique »)."""
    register_sections([*CHILD_SECTIONS, PERSON_SECTION, NEW_CHILD_SECTION], prefix="Enfant : ")
