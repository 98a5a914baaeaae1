"""« Demandes de modification » in the admin: staff read the diff, accept or refuse."""

from datetime import timedelta

import pytest
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone

from accounts import change_requests as cr
from accounts.models import ChangeRequest, ChangeStatus, Family, Guardian, User
from children.models import Health, HealthAccess
from messaging.models import Message
from tests.conftest import make_parent
from tests.helpers import page_text

pytestmark = pytest.mark.django_db

LIST = "/admin/accounts/changerequest/"


def change_url(change_request) -> str:
    return f"{LIST}{change_request.pk}/change/"


def approve_url(change_request) -> str:
    return f"{LIST}{change_request.pk}/accepter/"


def reject_url(change_request) -> str:
    return f"{LIST}{change_request.pk}/refuser/"


def ask_phone(family, by, phone="07 11 22 33 44"):
    return cr.submit(
        family=family,
        section="famille-coordonnees",
        label="Coordonnées du foyer",
        by=by,
        instance=family,
        data={"phone": phone},
        page_url="/compte/",
    )


def ask_guardian_phone(guardian, by, mobile="07 00 00 00 01"):
    return cr.submit(
        family=guardian.family,
        section="responsable",
        label=f"Responsable : {guardian}",
        by=by,
        instance=guardian,
        data={"mobile_phone": mobile},
    )


def ask_allergy(child, by):
    health, _ = Health.objects.get_or_create(child=child)
    return cr.submit(
        family=child.family,
        section="enfant-sante",
        label=f"Santé de {child.first_name}",
        by=by,
        instance=health,
        data={"allergies": "Arachide"},
    )


@pytest.fixture
def claire(family) -> Guardian:
    return Guardian.objects.create(
        family=family,
        first_name="Claire",
        last_name="MARTIN",
        relationship="mother",
        mobile_phone="06 12 34 56 78",
    )


def inbox(family) -> list[str]:
    return list(Message.objects.filter(recipient=family).values_list("subject", flat=True))


# --- the list ----------------------------------------------------------------------------


def test_the_list_shows_pending_requests_first_then_the_newest(
    agent_client, agent, family, parent, other_family, other_parent, claire
):
    old = ask_phone(family, parent)
    decided = ask_phone(other_family, other_parent)
    cr.approve(change_request=decided, by=agent)
    new = ask_guardian_phone(claire, parent)
    ChangeRequest.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(days=3))
    ChangeRequest.objects.filter(pk=decided.pk).update(requested_at=timezone.now() + timedelta(1))

    response = agent_client.get(LIST)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [new, old, decided]
    page = page_text(response)
    assert "Responsable : Claire MARTIN" in page
    assert "En attente de validation" in page and "Acceptée" in page
    assert "Agnès" in page or "agent" in page  # who decided


def test_the_list_filters_by_status_and_by_family(
    agent_client, agent, family, parent, other_family, other_parent
):
    mine = ask_phone(family, parent)
    theirs = ask_phone(other_family, other_parent)
    cr.reject(change_request=theirs, by=agent, reason="Numéro inconnu")

    pending = agent_client.get(LIST, {"status__exact": "pending"})
    assert list(pending.context["cl"].result_list) == [mine]
    durand = agent_client.get(LIST, {"famille": other_family.pk})
    assert list(durand.context["cl"].result_list) == [theirs]
    assert "DURAND" in page_text(durand)
    searched = agent_client.get(LIST, {"q": "durand"})
    assert list(searched.context["cl"].result_list) == [theirs]


def test_the_list_filters_by_section_under_its_title(agent_client, family, parent, claire):
    family_request = ask_phone(family, parent)
    guardian_request = ask_guardian_phone(claire, parent)
    health_request = ask_allergy(family.children.first(), parent)

    page = page_text(agent_client.get(LIST))
    for title in ("Adresse et coordonnées du foyer", "Responsables légaux", "Enfant : Santé"):
        assert title in page
    by_section = {
        key: list(agent_client.get(LIST, {"rubrique": key}).context["cl"].result_list)
        for key in ("famille-coordonnees", "responsable", "enfant-sante")
    }
    assert by_section == {
        "famille-coordonnees": [family_request],
        "responsable": [guardian_request],
        "enfant-sante": [health_request],
    }


def test_the_list_does_not_query_per_request(agent_client, agent, django_assert_max_num_queries):
    for number in range(12):
        family = Family.objects.create(name=f"FAMILLE{number}", phone="06 00 00 00 00")
        parent = make_parent(family, f"parent{number}")
        guardian = Guardian.objects.create(
            family=family,
            first_name="Alex",
            last_name=family.name,
            relationship="other",
            mobile_phone="06 11 11 11 11",
        )
        ask_phone(family, parent)
        request = ask_guardian_phone(guardian, parent)
        if number % 3 == 0:
            cr.reject(change_request=request, by=agent, reason="Incomplet")

    with django_assert_max_num_queries(12):
        response = agent_client.get(LIST)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 24


# --- the change page ---------------------------------------------------------------------


def test_the_page_shows_old_new_and_current_values_and_cannot_be_edited(
    agent_client, family, parent
):
    family.phone = "06 12 34 56 78"
    family.save()
    request = ask_phone(family, parent)

    response = agent_client.get(change_url(request))

    page = page_text(response)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [(row.label, row.old, row.new, row.current) for row in rows] == [
        ("Téléphone du foyer", "06 12 34 56 78", "07 11 22 33 44", "06 12 34 56 78")
    ]
    assert "Valeur lors de la demande" in page and "Valeur actuelle" in page
    assert 'value="Accepter"' in page and 'value="Refuser"' in page
    assert "Accepter quand même" not in page
    assert 'name="_save"' not in page  # nothing to edit by hand
    assert agent_client.get(f"{LIST}add/").status_code == 403
    assert agent_client.post(change_url(request), {"label": "Autre"}).status_code == 403
    request.refresh_from_db()
    assert request.label == "Coordonnées du foyer"


def test_accepting_applies_the_request_and_tells_the_family(agent_client, agent, family, parent):
    request = ask_phone(family, parent)

    response = agent_client.post(approve_url(request), follow=True)

    assert response.redirect_chain[-1][0] == LIST
    assert "Demande « Coordonnées du foyer » acceptée" in page_text(response)
    family.refresh_from_db()
    assert family.phone == "07 11 22 33 44"
    assert family.history.first().history_user == agent
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ChangeStatus.APPROVED, agent)
    assert inbox(family) == ["Demande acceptée : Coordonnées du foyer"]
    entry = LogEntry.objects.get(object_id=str(request.pk))
    assert (entry.user, entry.change_message) == (agent, "Acceptée.")
    # Decided: the page keeps the record of it, without the buttons.
    page = page_text(agent_client.get(change_url(request)))
    assert 'value="Accepter"' not in page and "Acceptée" in page


def test_the_decisions_are_post_only(agent_client, family, parent):
    request = ask_phone(family, parent)
    assert agent_client.get(approve_url(request)).status_code == 405
    assert agent_client.get(reject_url(request)).status_code == 405
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING


def test_a_record_changed_since_is_shown_and_needs_accept_anyway(agent_client, family, parent):
    request = ask_phone(family, parent)
    family.phone = "01 02 03 04 05"  # a colleague corrected it meanwhile
    family.save()

    page = page_text(agent_client.get(change_url(request)))
    assert "la fiche a été modifiée depuis la demande (Téléphone du foyer)" in page
    assert "01 02 03 04 05" in page and "(modifiée depuis la demande)" in page
    assert 'value="Accepter quand même"' in page

    # A plain « Accepter » (from a page opened before the colleague's change) applies nothing.
    response = agent_client.post(approve_url(request), follow=True)
    assert response.redirect_chain[-1][0] == change_url(request)
    assert "rien n'a été appliqué" in page_text(response)
    family.refresh_from_db()
    assert family.phone == "01 02 03 04 05"
    assert inbox(family) == []

    agent_client.post(approve_url(request), {"force": "1"})
    family.refresh_from_db()
    assert family.phone == "07 11 22 33 44"
    assert inbox(family) == ["Demande acceptée : Coordonnées du foyer"]


def test_an_invalid_request_shows_the_french_reasons_and_changes_nothing(
    agent_client, family, parent, claire
):
    request = ask_guardian_phone(claire, parent, mobile="")

    response = agent_client.post(approve_url(request), follow=True)

    page = page_text(response)
    assert "rien n'a été modifié" in page
    assert "Indiquez au moins un numéro de téléphone." in page
    claire.refresh_from_db()
    assert claire.mobile_phone == "06 12 34 56 78"
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING
    assert inbox(family) == []


def test_refusing_needs_a_reason_which_the_family_receives(agent_client, agent, family, parent):
    request = ask_phone(family, parent)

    response = agent_client.post(reject_url(request), {"reason": "   "}, follow=True)
    assert "Indiquez le motif du refus" in page_text(response)
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING
    assert inbox(family) == []

    response = agent_client.post(reject_url(request), {"reason": "Numéro injoignable"}, follow=True)
    assert "refusée : la famille MARTIN reçoit le motif" in page_text(response)
    request.refresh_from_db()
    assert (request.status, request.reason, request.decided_by) == (
        ChangeStatus.REJECTED,
        "Numéro injoignable",
        agent,
    )
    message = Message.objects.get(recipient=family)
    assert message.subject == "Demande refusée : Coordonnées du foyer"
    assert "Motif : Numéro injoignable" in message.body
    assert LogEntry.objects.get().change_message == "Refusée : Numéro injoignable"
    family.refresh_from_db()
    assert family.phone == ""


def test_a_request_decided_twice_is_refused_the_second_time(agent_client, family, parent):
    request = ask_phone(family, parent)
    agent_client.post(approve_url(request))
    response = agent_client.post(reject_url(request), {"reason": "Doublon"}, follow=True)
    assert "Cette demande a déjà été traitée." in page_text(response)
    assert ChangeRequest.objects.get().status == ChangeStatus.APPROVED
    assert len(inbox(family)) == 1


def test_deciding_needs_the_permission(family, parent):
    request = ask_phone(family, parent)
    clerk = User.objects.create_user("stagiaire", password="x", is_staff=True)  # noqa: S106
    clerk.user_permissions.add(Permission.objects.get(codename="view_changerequest"))
    client = Client()
    client.force_login(clerk)
    assert client.get(change_url(request)).status_code == 200
    assert 'value="Accepter"' not in page_text(client.get(change_url(request)))
    assert client.post(approve_url(request)).status_code == 403
    assert client.post(reject_url(request), {"reason": "Non"}).status_code == 403
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING


def test_parents_and_anonymous_visitors_are_sent_to_the_admin_login(parent_client, family, parent):
    request = ask_phone(family, parent)
    for client in (parent_client, Client()):
        response = client.post(approve_url(request))
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING


def test_both_services_may_decide_requests_and_edit_guardians(agent):
    for name in ("Comptabilité", "Enfance Jeunesse"):
        codenames = set(Group.objects.get(name=name).permissions.values_list("codename", flat=True))
        assert {"view_changerequest", "change_changerequest", "view_guardian"} <= codenames
        assert "change_guardian" in codenames
        assert "add_changerequest" not in codenames
    assert "add_guardian" in set(
        Group.objects.get(name="Enfance Jeunesse").permissions.values_list("codename", flat=True)
    )


# --- bulk decisions ----------------------------------------------------------------------


def bulk(client, action: str, requests, **fields):
    return client.post(
        LIST,
        {
            "action": action,
            "select_across": "0",
            "index": "0",
            helpers.ACTION_CHECKBOX_NAME: [str(r.pk) for r in requests],
            **fields,
        },
        follow=True,
    )


def test_bulk_accept_applies_the_clean_ones_and_reports_the_others(
    agent_client, agent, family, parent, other_family, other_parent, claire
):
    clean = ask_phone(other_family, other_parent)
    conflicting = ask_phone(family, parent)
    family.phone = "01 02 03 04 05"
    family.save()
    invalid = ask_guardian_phone(claire, parent, mobile="")
    done = ChangeRequest.objects.create(
        family=family,
        section="ancienne",
        label="Ancienne demande",
        content_type=conflicting.content_type,
        object_id=family.pk,
        changes={"city": {"old": "", "new": "Orléans"}},
        status=ChangeStatus.REJECTED,
    )

    response = bulk(agent_client, "approve_selected", [clean, conflicting, invalid, done])

    page = page_text(response)
    assert "1 demande(s) acceptée(s)" in page
    assert "« Coordonnées du foyer » (MARTIN) : la fiche a changé depuis la demande" in page
    assert "Indiquez au moins un numéro de téléphone." in page
    assert "1 demande(s) déjà traitée(s)" in page
    statuses = dict(ChangeRequest.objects.values_list("pk", "status"))
    assert statuses == {
        clean.pk: ChangeStatus.APPROVED,
        conflicting.pk: ChangeStatus.PENDING,  # never forced in bulk
        invalid.pk: ChangeStatus.PENDING,
        done.pk: ChangeStatus.REJECTED,
    }
    family.refresh_from_db()
    assert family.phone == "01 02 03 04 05"
    assert inbox(other_family) == ["Demande acceptée : Coordonnées du foyer"]
    assert inbox(family) == []


def test_bulk_refuse_asks_for_one_reason_then_tells_every_family(
    agent_client, family, parent, other_family, other_parent
):
    requests = [ask_phone(family, parent), ask_phone(other_family, other_parent)]

    form = bulk(agent_client, "reject_selected", requests)
    page = page_text(form)
    assert "Les <strong>2</strong> demandes suivantes seront refusées" in page
    assert 'name="reason"' in page
    assert not Message.objects.exists()

    again = bulk(agent_client, "reject_selected", requests, confirm="yes", reason=" ")
    assert "Indiquez le motif du refus : la famille le recevra." in page_text(again)
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == {ChangeStatus.PENDING}

    done = bulk(
        agent_client, "reject_selected", requests, confirm="yes", reason="Justificatif manquant"
    )
    assert "2 demande(s) refusée(s)" in page_text(done)
    assert set(ChangeRequest.objects.values_list("status", flat=True)) == {ChangeStatus.REJECTED}
    for message in Message.objects.all():
        assert "Motif : Justificatif manquant" in message.body
    assert sorted(Message.objects.values_list("recipient__name", flat=True)) == [
        "DURAND",
        "MARTIN",
    ]


# --- requests about health data ----------------------------------------------------------


def test_a_health_request_is_hidden_from_staff_without_the_health_permission(
    agent_client, family, parent
):
    request = ask_allergy(family.children.first(), parent)

    page = page_text(agent_client.get(change_url(request)))

    assert "seuls les agents habilités" in page
    assert "Arachide" not in page
    assert 'value="Accepter"' not in page
    assert agent_client.post(approve_url(request)).status_code == 403
    bulk(agent_client, "approve_selected", [request])
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING
    assert not HealthAccess.objects.exists()


def test_a_health_request_is_decided_by_the_health_staff_and_the_look_is_logged(
    health_agent_client, health_agent, family, parent
):
    child = family.children.first()
    request = ask_allergy(child, parent)

    page = page_text(health_agent_client.get(change_url(request)))
    assert "Arachide" in page
    access = HealthAccess.objects.get()
    assert (access.staff, access.child, access.action) == (health_agent, child, "request")

    health_agent_client.post(approve_url(request))
    assert Health.objects.get(child=child).allergies == "Arachide"
    assert inbox(family) == [f"Demande acceptée : Santé de {child.first_name}"]
