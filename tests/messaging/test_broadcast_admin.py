import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from accounts.models import Family
from children.models import School
from messaging.models import Broadcast, Message, OutgoingEmail
from tests.conftest import make_parent
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def bernard(db) -> Family:
    """A family with no child at school: outside every school audience."""
    family = Family.objects.create(name="BERNARD")
    make_parent(family, "marc")
    return family


def broadcast_data(**fields) -> dict:
    return {
        "audience": "all|",
        "sender": "Enfance Jeunesse",
        "subject": "Grève du jeudi 3 décembre",
        "body": "La cantine sera fermée.",
        "link_url": "",
        "link_label": "",
        **fields,
    }


def test_staff_send_a_broadcast_to_a_school_from_the_admin(
    agent_client, agent, parent, other_parent, bernard, school
):
    response = agent_client.post(
        "/admin/messaging/broadcast/add/",
        broadcast_data(audience=f"school|{school.pk}", link_url="/reservations/"),
        follow=True,
    )

    assert "Message « Grève du jeudi 3 décembre » envoyé à 2 famille(s)." in page_text(response)
    broadcast = Broadcast.objects.get()
    assert broadcast.audience_label == "Une école : École Jules-Ferry"
    assert broadcast.recipient_count == 2
    assert broadcast.created_by == agent
    assert sorted(Message.objects.values_list("recipient__name", flat=True)) == [
        "DURAND",
        "MARTIN",
    ]
    assert sorted(OutgoingEmail.objects.values_list("to", flat=True)) == [
        "claire@example.org",
        "sophie@example.org",
    ]


def test_the_add_form_offers_every_audience(agent_client, family, school):
    page = page_text(agent_client.get("/admin/messaging/broadcast/add/"))
    assert '<option value="all|">Toutes les familles</option>' in page
    assert '<optgroup label="Une école">' in page
    assert f'<option value="class|{school.pk}:GS">École Jules-Ferry — GS</option>' in page
    assert 'name="_continue"' not in page  # saving sends: nothing to go on editing
    assert 'name="_addanother"' not in page


def test_an_audience_without_families_or_a_script_link_sends_nothing(agent_client, family):
    empty = School.objects.create(name="École Pasteur")
    response = agent_client.post(
        "/admin/messaging/broadcast/add/", broadcast_data(audience=f"school|{empty.pk}")
    )
    assert "Aucune famille ne correspond à ce public" in page_text(response)
    response = agent_client.post(
        "/admin/messaging/broadcast/add/", broadcast_data(link_url="javascript:alert(1)")
    )
    assert "Indiquez une page du portail" in page_text(response)
    assert not Broadcast.objects.exists()
    assert not Message.objects.exists()


def test_a_sent_broadcast_is_read_only_and_links_to_its_messages(
    agent_client, parent, other_parent, bernard, school
):
    agent_client.post(
        "/admin/messaging/broadcast/add/", broadcast_data(audience=f"school|{school.pk}")
    )
    agent_client.post(
        "/admin/messaging/broadcast/add/", broadcast_data(subject="Pour tous", audience="all|")
    )
    broadcast = Broadcast.objects.get(subject="Grève du jeudi 3 décembre")

    page = page_text(agent_client.get(f"/admin/messaging/broadcast/{broadcast.pk}/change/"))
    assert "Une école : École Jules-Ferry" in page
    link = f"/admin/messaging/message/?broadcast__id__exact={broadcast.pk}"
    assert f'href="{link}"' in page
    assert "2 famille(s) — voir les messages envoyés" in page
    assert 'name="subject"' not in page  # nothing to edit

    response = agent_client.post(
        f"/admin/messaging/broadcast/{broadcast.pk}/change/",
        broadcast_data(subject="Réécrit"),
    )
    assert response.status_code == 403
    broadcast.refresh_from_db()
    assert broadcast.subject == "Grève du jeudi 3 décembre"

    messages = page_text(agent_client.get(link))
    assert "2 messages" in messages
    assert "BERNARD" not in messages


def test_the_list_shows_who_each_broadcast_went_to(agent_client, parent, school):
    agent_client.post(
        "/admin/messaging/broadcast/add/", broadcast_data(audience=f"school|{school.pk}")
    )
    page = page_text(agent_client.get("/admin/messaging/broadcast/"))
    assert "Grève du jeudi 3 décembre" in page
    assert "Une école : École Jules-Ferry" in page


def action(**fields) -> dict:
    return {"action": "write_to_families", "select_across": "0", "index": "0", **fields}


def test_the_family_list_writes_to_the_selected_families_only(
    agent_client, agent, family, parent, other_family, other_parent, bernard
):
    chosen = [str(family.pk), str(bernard.pk)]
    form = agent_client.post("/admin/accounts/family/", action(**{ACTION_CHECKBOX_NAME: chosen}))
    page = page_text(form)
    assert "Écrire aux familles sélectionnées" in page
    assert "chacune des <strong>2</strong> familles sélectionnées" in page
    assert "MARTIN" in page and "BERNARD" in page
    assert not Message.objects.exists()

    response = agent_client.post(
        "/admin/accounts/family/",
        action(
            **{ACTION_CHECKBOX_NAME: chosen},
            send="yes",
            subject="Dossier incomplet",
            body="Merci de déposer votre attestation CAF.",
            sender="Comptabilité",
        ),
        follow=True,
    )

    assert "Message « Dossier incomplet » envoyé à 2 familles sélectionnées." in page_text(response)
    assert sorted(Message.objects.values_list("recipient__name", flat=True)) == [
        "BERNARD",
        "MARTIN",
    ]
    assert "sophie@example.org" not in OutgoingEmail.objects.values_list("to", flat=True)
    broadcast = Broadcast.objects.get()
    assert (broadcast.audience_kind, broadcast.recipient_count) == ("selection", 2)
    assert broadcast.created_by == agent


def test_the_family_action_asks_again_when_the_message_is_empty(agent_client, family):
    response = agent_client.post(
        "/admin/accounts/family/",
        action(**{ACTION_CHECKBOX_NAME: [str(family.pk)]}, send="yes", subject="", body=""),
    )
    page = page_text(response)
    assert "Ce champ est obligatoire." in page
    assert "la famille sélectionnée" in page
    assert not Message.objects.exists()


def test_the_broadcast_pages_need_staff(parent_client):
    for url in ("/admin/messaging/broadcast/add/", "/admin/messaging/news/"):
        response = parent_client.get(url)
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
