"""The change-request workflow: asked → nothing applied → approved/rejected → inbox."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from accounts import change_requests as cr
from accounts.models import ChangeRequest, ChangeStatus, Guardian
from children.models import AuthorisedPerson, Child, Diet, Health
from messaging.models import Message, OutgoingEmail

pytestmark = pytest.mark.django_db


def ask_phone(family, parent, phone="07 11 22 33 44"):
    return cr.submit(
        family=family,
        section="famille-contact",
        label="Coordonnées du foyer",
        by=parent,
        instance=family,
        data={"phone": phone, "email": family.email},
        page_url="/compte/",
    )


def test_a_request_keeps_old_and_new_values_and_changes_nothing(family, parent):
    family.phone = "06 12 34 56 78"
    family.save()
    request = ask_phone(family, parent)
    assert request.changes == {"phone": {"old": "06 12 34 56 78", "new": "07 11 22 33 44"}}
    assert request.status == ChangeStatus.PENDING
    family.refresh_from_db()
    assert family.phone == "06 12 34 56 78"


def test_saving_the_same_values_is_not_a_request(family, parent):
    with pytest.raises(cr.NothingChanged):
        ask_phone(family, parent, phone=family.phone)
    assert not ChangeRequest.objects.exists()


def test_one_pending_request_per_section(family, parent):
    ask_phone(family, parent)
    with pytest.raises(cr.AlreadyPending):
        ask_phone(family, parent, phone="07 99 99 99 99")
    assert ChangeRequest.objects.count() == 1


def test_approval_applies_exactly_the_request_and_tells_the_family(family, parent, agent):
    request = ask_phone(family, parent)
    cr.approve(change_request=request, by=agent)
    family.refresh_from_db()
    assert family.phone == "07 11 22 33 44"
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (ChangeStatus.APPROVED, agent)
    message = Message.objects.get(recipient=family)
    assert message.subject == "Demande acceptée : Coordonnées du foyer"
    assert "Téléphone du foyer : 07 11 22 33 44" in message.body
    assert message.link_url == "/compte/"
    assert OutgoingEmail.objects.filter(message=message, to=parent.email).exists()
    # The history says who applied it.
    assert family.history.first().history_user == agent


def test_rejection_keeps_the_record_and_gives_the_reason(family, parent, agent):
    request = ask_phone(family, parent)
    with pytest.raises(ValidationError):
        cr.reject(change_request=request, by=agent, reason="  ")
    cr.reject(change_request=request, by=agent, reason="Numéro injoignable")
    family.refresh_from_db()
    assert family.phone == ""
    message = Message.objects.get(recipient=family)
    assert message.subject == "Demande refusée : Coordonnées du foyer"
    assert "Motif : Numéro injoignable" in message.body


def test_a_withdrawn_request_can_no_longer_be_decided(family, parent, agent):
    request = ask_phone(family, parent)
    cr.withdraw(change_request=request, by=parent)
    with pytest.raises(cr.NotPending):
        cr.approve(change_request=request, by=agent)
    with pytest.raises(cr.NotPending):
        cr.withdraw(change_request=request, by=parent)
    ask_phone(family, parent)  # and the family may ask again


def test_a_record_changed_since_the_request_is_not_overwritten_silently(family, parent, agent):
    request = ask_phone(family, parent)
    family.phone = "01 02 03 04 05"  # staff edited the record meanwhile
    family.save()
    with pytest.raises(cr.ChangeConflict) as conflict:
        cr.approve(change_request=request, by=agent)
    assert conflict.value.fields == ["Téléphone du foyer"]
    family.refresh_from_db()
    assert family.phone == "01 02 03 04 05"
    rows = cr.field_changes(request, family)
    assert rows[0].changed_since and rows[0].current == "01 02 03 04 05"
    cr.approve(change_request=request, by=agent, force=True)
    family.refresh_from_db()
    assert family.phone == "07 11 22 33 44"


def test_health_values_of_every_type_round_trip(family, parent, agent):
    child = family.children.first()
    health = Health.objects.create(child=child)
    request = cr.submit(
        family=family,
        section="enfant-sante",
        label=f"Santé de {child.first_name}",
        by=parent,
        instance=health,
        data={
            "diets": [Diet.NO_PORK, Diet.GLUTEN_FREE],
            "pai": True,
            "last_vaccination_date": date(2025, 9, 1),
            "allergies": "Arachide",
        },
    )
    rows = {row.name: row for row in cr.field_changes(request, health)}
    assert rows["diets"].new == "Sans gluten, Sans porc"
    assert rows["pai"].new == "Oui"
    assert rows["last_vaccination_date"].new == "1 septembre 2025"
    cr.approve(change_request=request, by=agent)
    health.refresh_from_db()
    assert sorted(health.diets) == ["gluten_free", "no_pork"]
    assert health.pai and health.last_vaccination_date == date(2025, 9, 1)


def test_a_new_authorised_person_is_created_on_approval(family, parent, agent):
    child = family.children.first()
    request = cr.submit(
        family=family,
        section="enfant-personnes",
        label="Nouvelle personne autorisée",
        by=parent,
        model=AuthorisedPerson,
        fixed={"child": child.pk},
        data={
            "first_name": "Jeanne",
            "last_name": "Petit",
            "relationship": "Grand-mère",
            "phone": "06 00 00 00 01",
            "can_pick_up": True,
            "emergency_contact": True,
        },
    )
    assert request.is_creation
    assert not AuthorisedPerson.objects.exists()
    person = cr.approve(change_request=request, by=agent)
    assert person.child == child and person.first_name == "Jeanne"
    request.refresh_from_db()
    assert request.object_id == person.pk


def test_a_new_child_and_a_quotient_are_applied_with_their_types(family, parent, agent):
    request = cr.submit(
        family=family,
        section="enfant-nouveau",
        label="Nouvel enfant",
        by=parent,
        model=Child,
        fixed={"family": family.pk},
        data={"first_name": "Zoé", "last_name": "MARTIN", "birth_date": date(2022, 5, 4)},
    )
    child = cr.approve(change_request=request, by=agent)
    assert child.family == family and child.birth_date == date(2022, 5, 4)
    request = cr.submit(
        family=family,
        section="famille-qf",
        label="Quotient familial",
        by=parent,
        instance=family,
        data={"quotient": Decimal("612.5")},
    )
    cr.approve(change_request=request, by=agent)
    family.refresh_from_db()
    assert family.quotient == Decimal("612.50")


def test_approval_validates_again_and_refuses_an_invalid_record(family, parent, agent):
    guardian = Guardian.objects.create(
        family=family,
        first_name="Claire",
        last_name="MARTIN",
        relationship="mother",
        mobile_phone="06 12 34 56 78",
    )
    request = cr.submit(
        family=family,
        section="responsable",
        label="Responsable",
        by=parent,
        instance=guardian,
        data={"mobile_phone": ""},
    )
    with pytest.raises(ValidationError):
        cr.approve(change_request=request, by=agent)
    guardian.refresh_from_db()
    assert guardian.mobile_phone == "06 12 34 56 78"
    request.refresh_from_db()
    assert request.status == ChangeStatus.PENDING


@pytest.mark.django_db(transaction=True)
def test_two_agents_approving_at_once_apply_and_notify_once(family, parent, agent, superuser):
    request = ask_phone(family, parent)
    results = []
    start = threading.Barrier(2)

    def decide(by):
        start.wait()
        try:
            cr.approve(change_request=request, by=by)
            results.append("approved")
        except cr.NotPending:
            results.append("already decided")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(u,)) for u in (agent, superuser)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["already decided", "approved"]
    assert Message.objects.filter(recipient=family).count() == 1
