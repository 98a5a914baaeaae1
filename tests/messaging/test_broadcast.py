from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Family
from children.models import Child, School
from messaging.broadcasts import NoRecipients, send_broadcast, send_to_families
from messaging.models import Broadcast, Kind, Message, OutgoingEmail
from tests.conftest import make_parent

pytestmark = pytest.mark.django_db


@pytest.fixture
def pasteur(db) -> School:
    return School.objects.create(name="École Pasteur")


@pytest.fixture
def bernard(pasteur) -> Family:
    """A third family, whose only child goes to another school."""
    family = Family.objects.create(name="BERNARD", email="foyer.bernard@example.org")
    Child.objects.create(
        family=family,
        first_name="Nina",
        last_name="BERNARD",
        birth_date=date(2018, 1, 5),
        school=pasteur,
        school_class="CE1",
    )
    make_parent(family, "marc")
    return family


def send(kind="all", value="", **fields):
    return send_broadcast(
        subject=fields.get("subject", "Grève du jeudi 3 décembre"),
        body="La cantine sera fermée ; les repas réservés ne seront pas facturés.",
        audience_kind=kind,
        audience_value=value,
        sender="Enfance Jeunesse",
        link_url=fields.get("link_url", ""),
        by=fields.get("by"),
    )


def inbox_families() -> list[str]:
    return sorted(Message.objects.values_list("recipient__name", flat=True))


def emailed() -> list[str]:
    return sorted(OutgoingEmail.objects.values_list("to", flat=True))


def test_a_broadcast_to_all_reaches_every_family_once_and_is_recorded(
    family, parent, second_guardian, other_parent, bernard, agent, settings
):
    settings.PORTAL_URL = "https://famille.example.fr/"
    broadcast = send(link_url="/reservations/", by=agent)

    assert inbox_families() == ["BERNARD", "DURAND", "MARTIN"]
    assert emailed() == sorted(
        ["claire@example.org", "paul@example.org", "sophie@example.org"]
        + ["foyer.bernard@example.org", "marc@example.org"]
    )
    assert Broadcast.objects.get() == broadcast
    assert broadcast.recipient_count == 3
    assert broadcast.audience_label == "Toutes les familles"
    assert broadcast.created_by == agent
    message = Message.objects.get(recipient=family)
    assert message.broadcast == broadcast
    assert (message.kind, message.sender, message.link_label) == (
        Kind.INFO,
        "Enfance Jeunesse",
        "Ouvrir",
    )
    assert message.is_unread
    email = OutgoingEmail.objects.get(to="claire@example.org")
    assert email.message == message
    assert "Grève du jeudi 3 décembre" in email.subject
    assert "La cantine sera fermée" in email.body_text
    assert "https://famille.example.fr/reservations/" in email.body_text


def test_a_broadcast_to_a_school_reaches_only_its_families(
    family, parent, other_parent, bernard, school
):
    broadcast = send("school", str(school.pk))

    assert inbox_families() == ["DURAND", "MARTIN"]
    assert emailed() == ["claire@example.org", "sophie@example.org"]
    assert broadcast.recipient_count == 2
    assert broadcast.audience_label == "Une école : École Jules-Ferry"
    assert (broadcast.audience_kind, broadcast.audience_value) == ("school", str(school.pk))


def test_a_broadcast_to_a_class_reaches_only_the_families_of_that_class(
    family, parent, other_parent, bernard, school
):
    broadcast = send("class", f"{school.pk}:CE2")

    assert inbox_families() == ["MARTIN"]
    assert emailed() == ["claire@example.org"]
    assert broadcast.audience_label == "Une classe : École Jules-Ferry — CE2"


def test_a_family_that_opted_out_gets_the_inbox_message_without_email(family, parent, other_parent):
    family.email_notifications = False
    family.save()

    send()

    assert inbox_families() == ["DURAND", "MARTIN"]
    assert emailed() == ["sophie@example.org"]


def test_an_audience_without_families_sends_and_records_nothing(family, pasteur):
    with pytest.raises(NoRecipients):
        send("school", str(pasteur.pk))
    assert not Broadcast.objects.exists()
    assert not Message.objects.exists()


def test_families_picked_by_hand_get_it_and_nobody_else(
    family, parent, other_parent, bernard, agent
):
    broadcast = send_to_families(
        families_ids=[family.pk, bernard.pk, bernard.pk],
        subject="Dossier incomplet",
        body="Merci de déposer votre attestation CAF.",
        sender="Comptabilité",
        by=agent,
    )

    assert inbox_families() == ["BERNARD", "MARTIN"]
    assert "sophie@example.org" not in emailed()
    assert broadcast.audience_kind == "selection"
    assert broadcast.audience_label == "2 familles sélectionnées"
    assert broadcast.recipient_count == 2
    assert set(broadcast.messages.values_list("recipient_id", flat=True)) == {family.pk, bernard.pk}


def make_families(count: int, school: School) -> None:
    for i in range(count):
        family = Family.objects.create(
            name=f"FAMILLE {i:02d}", email=f"{school.pk}-{i}@example.org"
        )
        Child.objects.create(
            family=family,
            first_name="Enfant",
            last_name=f"{i}",
            birth_date=date(2017, 1, 1),
            school=school,
            school_class="CP",
        )
        make_parent(family, f"{school.pk}-{i}-a")
        make_parent(family, f"{school.pk}-{i}-b")


def queries_to_send(school: School) -> int:
    with CaptureQueriesContext(connection) as context:
        send("school", str(school.pk))
    return len(context.captured_queries)


def test_sending_to_30_families_runs_as_many_queries_as_to_3(
    school, pasteur, django_assert_max_num_queries
):
    make_families(3, pasteur)
    make_families(30, school)

    few = queries_to_send(pasteur)
    # savepoint, audience label, broadcast, families, their logins, messages, e-mails,
    # recipient count, release
    with django_assert_max_num_queries(10):
        send("school", str(school.pk))

    assert queries_to_send(school) == few
    # Sent twice to the school: 30 families, each with its own address and two logins.
    assert Message.objects.filter(recipient__children__school=school).count() == 2 * 30
    assert OutgoingEmail.objects.filter(message__recipient__children__school=school).count() == (
        2 * 30 * 3
    )
