"""Mes enfants' new pages: a family reaches only its own children; others get a 404."""

import pytest

from accounts.models import ChangeRequest
from children.models import AuthorisedPerson, Child, Health

pytestmark = pytest.mark.django_db

FORM = {
    "first_name": "Pirate",
    "last_name": "X",
    "birth_date": "2018-01-01",
    "relationship": "Voisin",
    "phone": "06 99 99 99 99",
    "can_pick_up": "on",
    "allergies": "Tout",
    "image_rights": "on",
    "school_class": "CP",
}


@pytest.fixture
def ines(other_family) -> Child:
    return other_family.children.get()


@pytest.fixture
def their_person(ines) -> AuthorisedPerson:
    return AuthorisedPerson.objects.create(
        child=ines,
        first_name="Marc",
        last_name="DURAND",
        relationship="Oncle",
        phone="06 00 00 00 03",
    )


def their_urls(ines, their_person) -> list[str]:
    return [
        f"/enfants/{ines.pk}/",
        f"/enfants/{ines.pk}/etat-civil/modifier/",
        f"/enfants/{ines.pk}/scolarite/modifier/",
        f"/enfants/{ines.pk}/sante/modifier/",
        f"/enfants/{ines.pk}/autorisations/modifier/",
        f"/enfants/{ines.pk}/personnes/ajouter/",
        f"/enfants/{ines.pk}/personnes/{their_person.pk}/modifier/",
    ]


def test_another_familys_child_is_a_404_on_every_page_and_nothing_is_asked(
    parent_client, ines, their_person
):
    Health.objects.create(child=ines, allergies="Aucune")
    for url in their_urls(ines, their_person):
        assert parent_client.get(url).status_code == 404, url
        assert parent_client.post(url, FORM).status_code == 404, url
    assert not ChangeRequest.objects.exists()
    ines.refresh_from_db()
    assert ines.first_name == "Inès"


def test_another_familys_person_is_a_404_even_through_ones_own_child(
    parent_client, family, their_person
):
    lea = family.children.get(first_name="Léa")
    url = f"/enfants/{lea.pk}/personnes/{their_person.pk}/modifier/"
    assert parent_client.get(url).status_code == 404
    assert parent_client.post(url, FORM).status_code == 404
    assert not ChangeRequest.objects.exists()


def test_a_brothers_person_is_not_reached_through_his_sister(parent_client, family):
    lea, hugo = family.children.get(first_name="Léa"), family.children.get(first_name="Hugo")
    grandma = AuthorisedPerson.objects.create(
        child=hugo,
        first_name="Jeanne",
        last_name="PETIT",
        relationship="Grand-mère",
        phone="06 00 00 00 01",
    )
    url = f"/enfants/{lea.pk}/personnes/{grandma.pk}/modifier/"
    assert parent_client.get(url).status_code == 404
    assert (
        parent_client.get(f"/enfants/{hugo.pk}/personnes/{grandma.pk}/modifier/").status_code == 200
    )


def test_an_unknown_section_is_a_404(parent_client, family):
    lea = family.children.get(first_name="Léa")
    assert parent_client.get(f"/enfants/{lea.pk}/inconnue/modifier/").status_code == 404
    assert parent_client.post(f"/enfants/{lea.pk}/personnes/modifier/", FORM).status_code == 404


def test_a_staff_account_without_family_gets_404s(client, agent, ines):
    client.force_login(agent)
    for url in (f"/enfants/{ines.pk}/", "/enfants/ajouter/"):
        assert client.get(url).status_code == 404
        assert client.post(url, FORM).status_code == 404
    assert not ChangeRequest.objects.exists()


def test_an_anonymous_visitor_is_sent_to_login(client, ines, their_person):
    for url in [*their_urls(ines, their_person), "/enfants/ajouter/"]:
        assert client.get(url).url.startswith("/connexion/"), url
        assert client.post(url, FORM).url.startswith("/connexion/"), url
    assert not ChangeRequest.objects.exists()
