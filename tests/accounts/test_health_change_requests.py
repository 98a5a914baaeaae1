"""A change request on a child's health data: read and decided by « Données de santé » only,
each display logged, and the family told THAT the record changed — never the values, since
every clerk reads the inbox and the outbox."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.admin import helpers
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from accounts import change_requests as cr
from accounts.models import ChangeRequest, ChangeStatus
from children.models import Health, HealthAccess
from messaging.models import Message, OutgoingEmail
from tests.helpers import page_text as raw_page_text

pytestmark = pytest.mark.django_db

LIST = "/admin/accounts/changerequest/"
ALLERGY = "ALLERGIE-ARACHIDE-SENTINELLE"
TREATMENT = "TRAITEMENT-VENTOLINE-SENTINELLE"
PAI = "PAI-STYLO-ADRENALINE-SENTINELLE"
REASON = "MOTIF-ASTHME-SEVERE-SENTINELLE"
SENTINELS = (ALLERGY, TREATMENT, PAI, REASON)


def change_url(change_request) -> str:
    return f"{LIST}{change_request.pk}/change/"


def ask_health(child, by, *, existing: bool = True) -> ChangeRequest:
    """The family asks for allergies, a treatment and a PAI (on record, or a first record)."""
    data = {"allergies": ALLERGY, "treatments": TREATMENT, "pai": True, "pai_details": PAI}
    if existing:
        health, _ = Health.objects.get_or_create(child=child)
        return cr.submit(
            family=child.family,
            section="enfant-sante",
            label=f"Santé de {child.first_name}",
            by=by,
            instance=health,
            data=data,
            page_url=f"/enfants/{child.pk}/#sante",
        )
    return cr.submit(
        family=child.family,
        section="enfant-sante",
        label=f"Santé de {child.first_name}",
        by=by,
        model=Health,
        fixed={"child": child.pk},
        data=data,
        page_url=f"/enfants/{child.pk}/#sante",
    )


def page_text(response) -> str:
    return raw_page_text(response).replace("\xa0", " ")  # « Données de santé » with &nbsp;


def assert_no_sentinel(text: str) -> None:
    for sentinel in SENTINELS:
        assert sentinel not in text


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


@pytest.fixture
def lea(family):
    return family.children.get(first_name="Léa")


# --- a clerk without « Données de santé » -------------------------------------------------


def test_a_clerk_sees_no_value_on_the_list_nor_on_the_request(agent_client, lea, parent):
    request = ask_health(lea, parent)

    listing = agent_client.get(LIST)
    page = agent_client.get(change_url(request))
    history = agent_client.get(f"{change_url(request)[: -len('change/')]}history/")

    for response in (listing, page, history):
        assert response.status_code == 200
        assert_no_sentinel(page_text(response))
    assert "Santé de Léa" in page_text(listing)
    assert "Données de santé : réservé au groupe « Données de santé »" in page_text(page)
    assert 'value="Accepter"' not in page_text(page)
    assert not HealthAccess.objects.exists()


def test_a_clerk_cannot_accept_nor_refuse_a_health_request(agent_client, lea, parent, family):
    request = ask_health(lea, parent)

    accepted = agent_client.post(f"{LIST}{request.pk}/accepter/")
    refused = agent_client.post(f"{LIST}{request.pk}/refuser/", {"reason": "Non"})

    for response in (accepted, refused):
        assert response.status_code == 403
        text = page_text(response)
        assert "réservé au groupe « Données de santé »" in text
        assert "Rien n'a été modifié" in text
        assert_no_sentinel(text)
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING
    assert Health.objects.get(child=lea).allergies == ""
    assert not Message.objects.filter(recipient=family).exists()
    assert not HealthAccess.objects.exists()


def test_a_clerk_cannot_decide_one_in_bulk_either(agent_client, lea, parent, family):
    request = ask_health(lea, parent)

    approved = bulk(agent_client, "approve_selected", [request])
    rejected = bulk(agent_client, "reject_selected", [request], confirm="yes", reason="Non")

    assert "réservée aux agents habilités aux données de santé" in page_text(approved)
    assert "réservée aux agents habilités aux données de santé" in page_text(rejected)
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING
    assert not Message.objects.filter(recipient=family).exists()


def test_a_refused_request_keeps_its_reason_from_the_clerk(agent_client, health_agent, lea, parent):
    request = ask_health(lea, parent)
    cr.reject(change_request=request, by=health_agent, reason=REASON)

    page = page_text(agent_client.get(change_url(request)))

    assert_no_sentinel(page)
    assert "Refusée" in page


# --- the health agent ---------------------------------------------------------------------


def test_the_health_agent_sees_the_values_and_each_display_is_logged(
    health_agent_client, health_agent, lea, parent
):
    request = ask_health(lea, parent)

    for _ in range(2):
        page = page_text(health_agent_client.get(change_url(request)))
        assert ALLERGY in page and TREATMENT in page and PAI in page

    accesses = list(HealthAccess.objects.values_list("staff", "child", "action"))
    assert accesses == [(health_agent.pk, lea.pk, "request")] * 2
    log = page_text(health_agent_client.get("/admin/children/healthaccess/"))
    assert "consultation d'une demande de modification" in log


def test_a_first_health_record_asked_for_is_logged_against_its_child(
    health_agent_client, health_agent, lea, parent
):
    request = ask_health(lea, parent, existing=False)

    page = page_text(health_agent_client.get(change_url(request)))

    assert ALLERGY in page
    access = HealthAccess.objects.get()
    assert (access.child, access.action) == (lea, "request")


def test_accepting_tells_the_family_that_the_record_changed_not_the_values(
    health_agent_client, lea, parent, family
):
    request = ask_health(lea, parent)

    response = health_agent_client.post(f"{LIST}{request.pk}/accepter/")

    assert response.status_code == 302
    health = Health.objects.get(child=lea)
    assert (health.allergies, health.treatments, health.pai) == (ALLERGY, TREATMENT, True)
    message = Message.objects.get(recipient=family)
    assert message.subject == "Demande acceptée : Santé de Léa"
    assert "la fiche « Santé de Léa » a été mise à jour" in message.body
    assert_no_sentinel(message.body)
    emails = OutgoingEmail.objects.filter(message=message)
    assert emails.filter(to=parent.email).exists()
    for email in emails:
        assert_no_sentinel(email.subject + email.body_text + email.body_html)


def test_refusing_keeps_the_reason_out_of_the_message_and_the_admin_history(
    health_agent_client, lea, parent, family, parent_client
):
    request = ask_health(lea, parent)

    health_agent_client.post(f"{LIST}{request.pk}/refuser/", {"reason": REASON})

    request.refresh_from_db()
    assert (request.status, request.reason) == (ChangeStatus.REJECTED, REASON)
    message = Message.objects.get(recipient=family)
    assert "Le motif est indiqué dans « Mes demandes »" in message.body
    assert message.link_url == "/compte/demandes/"
    assert_no_sentinel(message.body)
    for email in OutgoingEmail.objects.filter(message=message):
        assert_no_sentinel(email.body_text + email.body_html)
    assert_no_sentinel(" ".join(LogEntry.objects.values_list("change_message", flat=True)))
    # The family itself reads the reason on its own page.
    assert REASON in page_text(parent_client.get("/compte/demandes/"))


def test_the_health_agent_decides_in_bulk_with_the_same_neutral_notices(
    health_agent_client, lea, parent, family
):
    request = ask_health(lea, parent)

    bulk(health_agent_client, "approve_selected", [request])

    assert ChangeRequest.objects.get().status == ChangeStatus.APPROVED
    assert_no_sentinel(Message.objects.get(recipient=family).body)


def test_other_requests_still_list_their_new_values(agent, family, parent):
    request = cr.submit(
        family=family,
        section="famille-coordonnees",
        label="Coordonnées du foyer",
        by=parent,
        instance=family,
        data={"phone": "07 11 22 33 44"},
    )

    cr.approve(change_request=request, by=agent)

    assert "07 11 22 33 44" in Message.objects.get(recipient=family).body


def test_whoever_applies_it_the_notice_carries_no_health_value(agent, lea, parent, family):
    """The wording depends on the section, not on the agent: even a service call made for
    a clerk (a script, a future page) tells the family only that the record changed."""
    request = ask_health(lea, parent)

    cr.approve(change_request=request, by=agent)

    message = Message.objects.get(recipient=family)
    assert_no_sentinel(message.body)
    for email in OutgoingEmail.objects.filter(message=message):
        assert_no_sentinel(email.body_text + email.body_html)


def test_old_history_rows_quoting_a_health_refusal_lose_the_reason(
    agent_client, lea, parent, family
):
    """Before the fix a health refusal was logged « Refusée : <reason> », which every clerk
    reads in the request's « Historique ». The migration rewrites those rows only."""
    health_request = ask_health(lea, parent)
    phone_request = cr.submit(
        family=family,
        section="famille-coordonnees",
        label="Coordonnées",
        by=parent,
        instance=family,
        data={"phone": "0601020304"},
        page_url="/compte/",
    )
    request_type = ContentType.objects.get_for_model(ChangeRequest)
    for change_request, reason in ((health_request, REASON), (phone_request, "Injoignable")):
        LogEntry.objects.create(
            content_type=request_type,
            object_id=str(change_request.pk),
            object_repr=str(change_request),
            action_flag=2,
            change_message=f"Refusée : {reason}",
            user=parent,
        )

    migration = import_module("accounts.migrations.0011_redact_confidential_refusal_logs")
    migration.redact(apps, None)
    migration.redact(apps, None)

    logged = dict(LogEntry.objects.values_list("object_id", "change_message"))
    assert logged == {
        str(health_request.pk): "Refusée.",
        str(phone_request.pk): "Refusée : Injoignable",
    }
    history = agent_client.get(f"{change_url(health_request)[: -len('change/')]}history/")
    assert_no_sentinel(page_text(history))
