"""« Mon compte »: the family record, read-only, and its requests for change.

Nothing a parent types here changes the record: each form files a change request
(accounts.change_requests) that the town hall approves or rejects. `request_change` is
the one view that does it, for the family's sections here and for the children's.
"""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import change_requests as cr
from .models import ChangeRequest, Family, Guardian
from .sections import (
    FAMILY_SECTIONS,
    GUARDIAN_SECTION,
    Pending,
    Section,
    family_section,
    matching,
    pending_requests,
    quotient_status,
)

SENT = (
    "Votre demande a été transmise à la mairie : votre fiche sera mise à jour dès qu'elle "
    "l'aura validée. Vous recevrez sa réponse dans votre boîte de réception."
)
NOTHING_CHANGED = "Aucune modification : ces informations sont déjà celles de votre fiche."
ALREADY_PENDING = (
    "Une demande pour cette rubrique attend déjà la validation de la mairie : retirez-la "
    "d'abord (« Retirer ma demande ») pour en faire une nouvelle."
)


# --- ownership: a family only ever reaches its own records -------------------------------


def get_family_or_404(request: HttpRequest) -> Family:
    if request.user.family_id is None:
        raise Http404("Aucune famille rattachée à cet identifiant.")
    return Family.objects.select_related("billing_guardian", "quotient_document").get(
        pk=request.user.family_id
    )


def get_guardian_or_404(request: HttpRequest, pk: int) -> Guardian:
    return get_object_or_404(Guardian.objects.filter(family_id=request.user.family_id), pk=pk)


def get_change_request_or_404(request: HttpRequest, pk: int) -> ChangeRequest:
    return get_object_or_404(ChangeRequest.objects.for_family(request.user.family_id), pk=pk)


# --- the one view that files a request ---------------------------------------------------


def asked_for(form, section: Section) -> dict:
    """The values the parent asks for; for a new record, only those they filled in."""
    data = {name: form.cleaned_data[name] for name in form.fields}
    if form.instance.pk is not None:
        return data  # submit() keeps the ones that differ from the record
    defaults = cr.current_values(section.model(), data)
    return {
        name: value
        for name, value in data.items()
        if cr.dump(section.model._meta.get_field(name), value) != defaults[name]
    }


def _one_record_per_owner(model: type[models.Model], fixed: dict | None) -> bool:
    """A child has one health record: two requests to create it cannot both be right."""
    return any(model._meta.get_field(name).one_to_one for name in fixed or {})


@transaction.atomic
def _submit(request, *, section, instance, data, label, page_url, fixed) -> ChangeRequest:
    family_id = request.user.family_id
    creating = instance.pk is None
    if creating and _one_record_per_owner(section.model, fixed):
        # The family's row serialises two submissions at once (two tabs, two parents).
        list(Family.objects.select_for_update().filter(pk=family_id).values_list("pk"))
        if (
            ChangeRequest.objects.for_family(family_id)
            .pending()
            .filter(
                section=section.key,
                content_type=ContentType.objects.get_for_model(section.model),
                object_id=None,
                fixed=fixed,
            )
            .exists()
        ):
            raise cr.AlreadyPending
    return cr.submit(
        family=request.user.family,
        section=section.key,
        label=label,
        by=request.user,
        data=data,
        instance=None if creating else instance,
        model=section.model,
        fixed=fixed if creating else None,
        page_url=page_url,
    )


def request_change(
    request: HttpRequest,
    *,
    section: Section,
    instance: models.Model,
    label: str,
    page_url: str,
    pending: list[Pending],
    fixed: dict | None = None,
    context: dict | None = None,
) -> HttpResponse:
    """Show a section's form pre-filled; on « Enregistrer », file the change request.

    `instance` is the record to change, or an unsaved one (with `fixed`, the fields the
    parent does not choose) when the request is to create it. The form validates a copy:
    the record itself is only ever changed by the town hall's approval.
    """
    form_class = section.form_class()
    form = form_class(
        request.POST if request.method == "POST" else None,
        instance=copy.copy(instance),
        family=request.user.family,
    )
    if request.method == "POST" and form.is_valid():
        try:
            _submit(
                request,
                section=section,
                instance=instance,
                data=asked_for(form, section),
                label=label,
                page_url=page_url,
                fixed=fixed or {},
            )
        except cr.NothingChanged:
            messages.info(request, NOTHING_CHANGED)
            return redirect(page_url)
        except cr.AlreadyPending:
            messages.warning(request, ALREADY_PENDING)
        else:
            messages.success(request, SENT)
            return redirect(page_url)
    return render(
        request,
        "accounts/record_edit.html",
        {
            "form": form,
            "section": section,
            "heading": label,
            # A child's first health data is a change to the parent, not an addition.
            "creating": instance.pk is None and not _one_record_per_owner(section.model, fixed),
            "pending": pending,
            "back_url": page_url,
            **(context or {}),
        },
        status=400 if form.errors else 200,
    )


# --- Mon compte --------------------------------------------------------------------------


def account_menu(current: str = "") -> list[dict]:
    """The left-hand menu of « Mon compte »: its sections, in the order of the page."""
    base = reverse("accounts:account")
    entries = [FAMILY_SECTIONS[0], GUARDIAN_SECTION, *FAMILY_SECTIONS[1:]]
    items = [(section.slug, section.title) for section in entries]
    items += [("identifiants", "Identifiants et mot de passe"), ("justificatifs", "Justificatifs")]
    menu = [
        {"label": title, "url": f"{base}#{slug}", "current": slug == current}
        for slug, title in items
    ]
    menu.append(
        {
            "label": "Mes demandes",
            "url": reverse("accounts:change_requests"),
            "current": current == "demandes",
        }
    )
    return menu


def page_of(section: Section) -> str:
    return f"{reverse('accounts:account')}#{section.anchor}"


@login_required
def account(request: HttpRequest) -> HttpResponse:
    if not request.user.is_parent:
        return render(request, "portail/no_family.html", status=403)
    family = get_family_or_404(request)
    guardians = list(family.guardians.all())
    pending = pending_requests(family.pk, Family, Guardian)
    blocks = {
        section.slug: {
            "section": section,
            "rows": section.rows(family),
            "pending": matching(pending, section, family.pk),
            "edit_url": reverse("accounts:section_edit", args=[section.slug]),
        }
        for section in FAMILY_SECTIONS
    }
    return render(
        request,
        "accounts/account.html",
        {
            "family": family,
            "blocks": blocks,
            "guardians": [
                {
                    "guardian": guardian,
                    "rows": GUARDIAN_SECTION.rows(guardian)[2:],  # the name is the heading
                    "pending": matching(pending, GUARDIAN_SECTION, guardian.pk),
                }
                for guardian in guardians
            ],
            "new_guardians": matching(pending, GUARDIAN_SECTION, None),
            "quotient_warning": quotient_status(family, timezone.localdate()),
            "logins": family.logins.filter(is_active=True).order_by("username"),
            "menu": account_menu(),
        },
    )


@login_required
def section_edit(request: HttpRequest, slug: str) -> HttpResponse:
    section = family_section(slug)
    if section is None:
        raise Http404("Rubrique inconnue.")
    family = get_family_or_404(request)
    return request_change(
        request,
        section=section,
        instance=family,
        label=section.title,
        page_url=page_of(section),
        pending=matching(pending_requests(family.pk, Family), section, family.pk),
        context={"menu": account_menu(section.slug)},
    )


@login_required
def guardian_edit(request: HttpRequest, pk: int) -> HttpResponse:
    guardian = get_guardian_or_404(request, pk)
    section = GUARDIAN_SECTION
    return request_change(
        request,
        section=section,
        instance=guardian,
        label=f"Responsable légal : {guardian}",
        page_url=page_of(section),
        pending=matching(pending_requests(guardian.family_id, Guardian), section, guardian.pk),
        context={"menu": account_menu(section.slug)},
    )


@login_required
def guardian_add(request: HttpRequest) -> HttpResponse:
    family = get_family_or_404(request)
    section = GUARDIAN_SECTION
    return request_change(
        request,
        section=section,
        instance=Guardian(family=family),
        fixed={"family": family.pk},
        label="Nouveau responsable légal",
        page_url=page_of(section),
        pending=[],
        context={"menu": account_menu(section.slug)},
    )


# --- the family's requests ---------------------------------------------------------------

RECENT_REQUESTS = 50


@login_required
def change_request_list(request: HttpRequest) -> HttpResponse:
    family = get_family_or_404(request)
    recent = ChangeRequest.objects.for_family(family.pk).select_related(
        "content_type", "requested_by"
    )
    return render(
        request,
        "accounts/change_requests.html",
        {
            "requests": [
                Pending(item, cr.field_changes(item)) for item in recent[:RECENT_REQUESTS]
            ],
            "menu": account_menu("demandes"),
        },
    )


def _back(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


@login_required
@require_POST
def change_request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    change_request = get_change_request_or_404(request, pk)
    try:
        cr.withdraw(change_request=change_request, by=request.user)
    except cr.NotPending:
        messages.error(
            request, "La mairie a déjà traité cette demande : elle ne peut plus être retirée."
        )
    else:
        messages.success(request, f"Votre demande « {change_request.label} » est retirée.")
    return redirect(_back(request, change_request.page_url or reverse("accounts:change_requests")))
