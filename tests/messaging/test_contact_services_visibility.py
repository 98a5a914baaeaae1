"""« Nous contacter » in the admin: a thread is read by the staff of its service only (issue
#11, item 12). Comptabilité does not read what a family wrote to Enfance Jeunesse, nor its
attachments, nor answers it; superusers read everything; CONTACT_THREADS_ALL_STAFF=true
gives back one shared box to every staff member with the permission."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import User
from messaging.contact import start_thread
from messaging.models import Message, PostAttachment, Service, Thread
from tests.conftest import PASSWORD
from tests.helpers import page_text as seen
from tests.messaging.files import pdf, pdf_bytes
from tests.messaging.test_contact_admin import change_form

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/messaging/thread/"
SERVICES = "/admin/messaging/service/"


def staff_in(*groups: str, username: str) -> Client:
    user = User(username=username, is_staff=True, first_name="Luc", last_name="Bernard")
    user.set_chosen_password(PASSWORD)
    user.save()
    user.groups.add(*Group.objects.filter(name__in=groups))
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def compta_clerk() -> Client:
    """A clerk of Comptabilité only."""
    return staff_in("Comptabilité", username="compta")


@pytest.fixture
def comptabilite(db) -> Service:
    return Service.objects.get(name="Comptabilité")


@pytest.fixture
def invoice_thread(family, parent, comptabilite) -> Thread:
    return start_thread(
        family=family,
        service=comptabilite,
        subject="Facture d'octobre",
        body="Le repas du 12 a été compté deux fois.",
        files=[pdf("releve.pdf")],
        author=parent,
    )


def listed(client: Client, query: str = "") -> set[str]:
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return {thread.subject for thread in response.context["cl"].result_list}


def attachment_url(thread: Thread) -> str:
    attachment = PostAttachment.objects.get(post__thread=thread)
    return f"{CHANGELIST}{thread.pk}/pieces/{attachment.pk}/"


def test_the_seed_services_are_read_by_the_groups_of_the_same_name():
    assert dict(Service.objects.values_list("name", "staff_group__name")) == {
        "Comptabilité": "Comptabilité",
        "Enfance Jeunesse": "Enfance Jeunesse",
    }


def test_a_comptabilite_clerk_lists_only_comptabilite_threads(
    compta_clerk, thread, invoice_thread, enfance
):
    assert listed(compta_clerk) == {"Facture d'octobre"}
    assert listed(compta_clerk, "?q=Allergie") == set()
    assert listed(compta_clerk, f"?service__id__exact={enfance.pk}") == set()
    assert listed(compta_clerk, "?awaiting_staff__exact=1") == {"Facture d'octobre"}
    assert listed(compta_clerk, "?non_lu=oui") == {"Facture d'octobre"}
    text = seen(compta_clerk.get(CHANGELIST))
    assert "Allergie de Léa" not in text
    assert "1 échange avec une famille" in text


def test_a_comptabilite_clerk_reads_and_answers_a_comptabilite_thread(compta_clerk, invoice_thread):
    url = f"{CHANGELIST}{invoice_thread.pk}/change/"
    assert "compté deux fois" in seen(compta_clerk.get(url))
    response = compta_clerk.get(attachment_url(invoice_thread))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()

    compta_clerk.post(url, change_form(invoice_thread, reply="C'est corrigé."))

    assert Message.objects.get().body == "C'est corrigé."


def test_an_enfance_jeunesse_thread_is_a_404_for_a_comptabilite_clerk(compta_clerk, thread):
    for page in ("change", "history", "delete"):
        response = compta_clerk.get(f"{CHANGELIST}{thread.pk}/{page}/")
        assert response.status_code == 404, page
        assert "Allergie de Léa" not in seen(response)
    thread.refresh_from_db()
    assert thread.staff_read_at is None  # not marked read by someone who cannot read it


def test_a_comptabilite_clerk_cannot_download_an_enfance_jeunesse_attachment(
    compta_clerk, thread, invoice_thread
):
    assert compta_clerk.get(attachment_url(thread)).status_code == 404
    # Nor through one of their own threads' addresses.
    attachment = PostAttachment.objects.get(post__thread=thread)
    own = f"{CHANGELIST}{invoice_thread.pk}/pieces/{attachment.pk}/"
    assert compta_clerk.get(own).status_code == 404


def test_a_comptabilite_clerk_cannot_answer_an_enfance_jeunesse_thread(compta_clerk, thread):
    response = compta_clerk.post(
        f"{CHANGELIST}{thread.pk}/change/",
        change_form(thread, reply="Je réponds à la place d'Enfance Jeunesse.", closed="on"),
    )

    assert response.status_code == 404
    thread.refresh_from_db()
    assert (thread.posts.count(), thread.closed, thread.awaiting_staff) == (1, False, True)
    assert not Message.objects.exists()


def test_the_service_list_counts_only_the_threads_the_clerk_reads(
    compta_clerk, agent_client, thread, invoice_thread, enfance
):
    awaiting_link = f'?service__id__exact={enfance.pk}&awaiting_staff__exact=1">{{}}</a>'
    assert awaiting_link.format(0) in seen(compta_clerk.get(SERVICES))
    assert awaiting_link.format(1) in seen(agent_client.get(SERVICES))


def test_a_clerk_cannot_choose_which_group_reads_a_service(compta_clerk, enfance, comptabilite):
    url = f"{SERVICES}{enfance.pk}/change/"
    assert 'name="staff_group"' not in compta_clerk.get(url).content.decode()

    compta_clerk.post(
        url,
        {
            "name": enfance.name,
            "email": enfance.email,
            "staff_group": comptabilite.staff_group_id,
            "active": "on",
            "position": enfance.position,
        },
    )

    enfance.refresh_from_db()
    assert enfance.staff_group.name == "Enfance Jeunesse"


def test_a_superuser_chooses_which_group_reads_a_service(client, superuser, enfance, thread):
    accueil = Group.objects.create(name="Accueil")
    accueil.permissions.set(Group.objects.get(name="Enfance Jeunesse").permissions.all())
    clerk = staff_in("Accueil", username="accueil")
    assert listed(clerk) == set()
    client.force_login(superuser)

    client.post(
        f"{SERVICES}{enfance.pk}/change/",
        {
            "name": enfance.name,
            "email": enfance.email,
            "staff_group": accueil.pk,
            "active": "on",
            "position": enfance.position,
        },
    )

    enfance.refresh_from_db()
    assert enfance.staff_group == accueil
    assert listed(clerk) == {"Allergie de Léa"}
    # Enfance Jeunesse's own staff no longer read it.
    assert listed(staff_in("Enfance Jeunesse", username="ej")) == set()


def test_the_agent_in_both_groups_reads_both_services(agent_client, thread, invoice_thread):
    assert listed(agent_client) == {"Allergie de Léa", "Facture d'octobre"}
    assert agent_client.get(f"{CHANGELIST}{thread.pk}/change/").status_code == 200
    assert agent_client.get(attachment_url(thread)).status_code == 200


def test_a_superuser_reads_every_thread_even_of_a_service_without_a_group(
    client, superuser, family, parent, thread, invoice_thread
):
    mairie = Service.objects.create(name="Accueil de la mairie")
    orphan = start_thread(
        family=family, service=mairie, subject="Horaires", body="…", files=(), author=parent
    )
    client.force_login(superuser)

    assert listed(client) == {"Allergie de Léa", "Facture d'octobre", "Horaires"}
    assert client.get(f"{CHANGELIST}{orphan.pk}/change/").status_code == 200


def test_staff_without_a_service_group_read_no_thread(thread, invoice_thread):
    clerk = staff_in(username="sans-groupe")
    clerk_user = User.objects.get(username="sans-groupe")
    enfance_group = Group.objects.get(name="Enfance Jeunesse")
    clerk_user.user_permissions.add(*enfance_group.permissions.filter(codename="view_thread"))

    assert listed(clerk) == set()
    assert clerk.get(f"{CHANGELIST}{thread.pk}/change/").status_code == 404


def test_the_setting_gives_every_thread_back_to_all_staff(
    settings, compta_clerk, thread, invoice_thread
):
    settings.CONTACT_THREADS_ALL_STAFF = True

    assert listed(compta_clerk) == {"Allergie de Léa", "Facture d'octobre"}
    assert compta_clerk.get(f"{CHANGELIST}{thread.pk}/change/").status_code == 200
    assert compta_clerk.get(attachment_url(thread)).status_code == 200
    compta_clerk.post(f"{CHANGELIST}{thread.pk}/change/", change_form(thread, reply="Vu."))
    assert thread.posts.count() == 2


def test_the_list_of_a_clerk_runs_a_constant_number_of_queries(
    compta_clerk, family, parent, comptabilite, enfance, django_assert_max_num_queries
):
    for i in range(6):
        for service in (comptabilite, enfance):
            start_thread(
                family=family,
                service=service,
                subject=f"{service.name} {i}",
                body="…",
                files=(),
                author=parent,
            )
    compta_clerk.get("/admin/")  # the session's activity stamp is written once
    with django_assert_max_num_queries(10):
        assert listed(compta_clerk) == {f"Comptabilité {i}" for i in range(6)}
