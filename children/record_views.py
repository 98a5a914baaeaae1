"""« Mes enfants »: a child's record, read-only, and the requests to change it.

Click a child's first name, then a section of the menu on the left (as in the seed's
guide). Every form files a change request through accounts' `request_change`.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.record_views import get_family_or_404, request_change
from accounts.sections import Section, matching, pending_requests

from .models import AuthorisedPerson, Child, Consents, Health
from .sections import CHILD_SECTIONS, NEW_CHILD_SECTION, PERSON_SECTION, child_section, record_of

RECORD_MODELS = (Child, Health, AuthorisedPerson, Consents)


# --- ownership: a family only ever reaches its own children -------------------------------


def get_child_or_404(request: HttpRequest, pk: int) -> Child:
    children = Child.objects.filter(family_id=request.user.family_id).select_related(
        "school", "health", "health__pai_document", "consents"
    )
    return get_object_or_404(children, pk=pk)


def get_person_or_404(request: HttpRequest, child: Child, pk: int) -> AuthorisedPerson:
    persons = AuthorisedPerson.objects.filter(
        child__family_id=request.user.family_id, child=child
    ).select_related("child")
    return get_object_or_404(persons, pk=pk)


# --- pages --------------------------------------------------------------------------------


def child_menu(child: Child, current: str = "") -> list[dict]:
    base = reverse("children:detail", args=[child.pk])
    sections = [*CHILD_SECTIONS[:3], PERSON_SECTION, *CHILD_SECTIONS[3:]]
    return [
        {"label": s.title, "url": f"{base}#{s.anchor}", "current": s.slug == current}
        for s in sections
    ]


def page_of(child: Child, section: Section) -> str:
    return f"{reverse('children:detail', args=[child.pk])}#{section.anchor}"


def _creation_key(child: Child, record) -> dict | None:
    """What a request to create the child's health data or consents is filed under."""
    return {"child": child.pk} if record.pk is None else None


@login_required
def child_detail(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_child_or_404(request, pk)
    persons = list(child.authorised_persons.all())
    pending = pending_requests(child.family_id, *RECORD_MODELS)
    blocks = {}
    for section in CHILD_SECTIONS:
        record = record_of(child, section)
        blocks[section.slug.replace("-", "_")] = {
            "section": section,
            "rows": section.rows(record),
            "pending": matching(pending, section, record.pk, _creation_key(child, record)),
            "edit_url": reverse("children:section_edit", args=[child.pk, section.slug]),
        }
    return render(
        request,
        "children/child_detail.html",
        {
            "child": child,
            "blocks": blocks,
            "persons": [
                {
                    "person": person,
                    "rows": PERSON_SECTION.rows(person)[2:],  # the name is the heading
                    "pending": matching(pending, PERSON_SECTION, person.pk),
                }
                for person in persons
            ],
            "new_persons": matching(pending, PERSON_SECTION, None, {"child": child.pk}),
            "menu": child_menu(child),
            "menu_label": f"Rubriques de la fiche de {child.first_name}",
        },
    )


def _context(child: Child, section: Section) -> dict:
    return {
        "menu": child_menu(child, section.slug),
        "menu_label": f"Rubriques de la fiche de {child.first_name}",
        "child": child,
    }


@login_required
def section_edit(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    child = get_child_or_404(request, pk)
    section = child_section(slug)
    if section is None:
        raise Http404("Rubrique inconnue.")
    record = record_of(child, section)
    fixed = _creation_key(child, record)
    return request_change(
        request,
        section=section,
        instance=record,
        fixed=fixed,
        label=f"{section.title} de {child.first_name}",
        page_url=page_of(child, section),
        pending=matching(
            pending_requests(child.family_id, section.model), section, record.pk, fixed
        ),
        context=_context(child, section),
    )


@login_required
def person_edit(request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
    child = get_child_or_404(request, pk)
    person = get_person_or_404(request, child, person_pk)
    return request_change(
        request,
        section=PERSON_SECTION,
        instance=person,
        label=f"Personne autorisée pour {child.first_name} : {person}",
        page_url=page_of(child, PERSON_SECTION),
        pending=matching(
            pending_requests(child.family_id, AuthorisedPerson), PERSON_SECTION, person.pk
        ),
        context=_context(child, PERSON_SECTION),
    )


@login_required
def person_add(request: HttpRequest, pk: int) -> HttpResponse:
    child = get_child_or_404(request, pk)
    return request_change(
        request,
        section=PERSON_SECTION,
        instance=AuthorisedPerson(child=child),
        fixed={"child": child.pk},
        label=f"Nouvelle personne autorisée pour {child.first_name}",
        page_url=page_of(child, PERSON_SECTION),
        pending=[],
        context=_context(child, PERSON_SECTION),
    )


@login_required
def child_add(request: HttpRequest) -> HttpResponse:
    family = get_family_or_404(request)
    return request_change(
        request,
        section=NEW_CHILD_SECTION,
        instance=Child(family=family),
        fixed={"family": family.pk},
        label="Nouvel enfant",
        page_url=reverse("children:list"),
        pending=[],
        context={"menu": [], "back_label": "Mes enfants"},
    )
