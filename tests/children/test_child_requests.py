"""Mes enfants: each request kind end to end, from the parent's side."""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from accounts.models import ChangeRequest, ChangeStatus
from children.models import AuthorisedPerson, Child, Consents, Health
from tests.helpers import page_text
from tests.records import approve, make_document, reject, the_request, visible_text

pytestmark = pytest.mark.django_db

SENT = "Votre demande a été transmise à la mairie"


@pytest.fixture
def lea(family) -> Child:
    return family.children.get(first_name="Léa")


def civil(**changes) -> dict:
    return {
        "first_name": "Léa",
        "last_name": "MARTIN",
        "birth_date": "2017-03-14",
        "sex": "F",
        "birth_place": "",
        **changes,
    }


def health(**changes) -> dict:
    return {
        "allergies": "",
        "pai_details": "",
        "pai_document": "",
        "last_vaccination_date": "",
        "doctor_name": "",
        "doctor_phone": "",
        "treatments": "",
        "medical_notes": "",
        **changes,
    }


def person(**changes) -> dict:
    return {
        "first_name": "Jeanne",
        "last_name": "PETIT",
        "relationship": "Grand-mère",
        "phone": "06 00 00 00 01",
        "can_pick_up": "on",
        **changes,
    }


def page(client, child) -> str:
    return visible_text(client.get(f"/enfants/{child.pk}/"))


def test_a_civil_status_change_waits_for_approval_then_shows(parent_client, lea, agent):
    url = f"/enfants/{lea.pk}/etat-civil/modifier/"
    form = page_text(parent_client.get(url))
    assert 'value="2017-03-14"' in form and 'aria-current="page"' in form
    response = parent_client.post(url, civil(birth_place="Orléans"), follow=True)
    assert response.redirect_chain[-1][0] == f"/enfants/{lea.pk}/#etat-civil"
    assert SENT in page_text(response)
    lea.refresh_from_db()
    assert lea.birth_place == ""
    assert "Lieu de naissance : — → Orléans" in page(parent_client, lea)
    approve(agent)
    text = page(parent_client, lea)
    assert "Lieu de naissance Orléans" in text and "En attente" not in text


def test_a_birth_date_in_the_future_is_refused(parent_client, lea):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = parent_client.post(
        f"/enfants/{lea.pk}/etat-civil/modifier/", civil(birth_date=tomorrow.isoformat())
    )
    assert response.status_code == 400
    assert "La date de naissance est dans le futur." in page_text(response)
    assert not ChangeRequest.objects.exists()


def test_an_empty_first_name_is_refused(parent_client, lea):
    response = parent_client.post(f"/enfants/{lea.pk}/etat-civil/modifier/", civil(first_name=""))
    assert "Ce champ est obligatoire." in page_text(response)
    assert not ChangeRequest.objects.exists()


def test_a_class_change_is_applied_on_approval(parent_client, lea, school, agent):
    parent_client.post(
        f"/enfants/{lea.pk}/scolarite/modifier/", {"school": school.pk, "school_class": "CM1"}
    )
    assert "Classe : CE2 → CM1" in page(parent_client, lea)
    approve(agent)
    lea.refresh_from_db()
    assert lea.school_class == "CM1"
    assert "CM1" in visible_text(parent_client.get("/enfants/"))


def test_health_data_is_created_on_approval_of_the_first_request(parent_client, lea, agent):
    url = f"/enfants/{lea.pk}/sante/modifier/"
    form = page_text(parent_client.get(url))
    assert 'name="diets" value="no_pork"' in form and "<legend" in form
    assert "Sans porc" in form and "Sans gluten" in form
    for religion in ("halal", "casher", "kasher", "religi"):
        assert religion not in form.lower()
    parent_client.post(
        url,
        health(allergies="Arachide", diets=["no_pork", "gluten_free"], doctor_phone="0238000000"),
    )
    assert not Health.objects.exists()
    request = the_request()
    assert request.fixed == {"child": lea.pk} and request.object_id is None
    text = page(parent_client, lea)
    assert "Régimes alimentaires : Sans gluten, Sans porc" in text
    # a second request for the same child waits for the first one
    response = parent_client.post(url, health(allergies="Kiwi"))
    assert "retirez-la d'abord" in page_text(response)
    assert ChangeRequest.objects.count() == 1
    approve(agent)
    lea.refresh_from_db()
    assert lea.health.allergies == "Arachide"
    assert sorted(lea.health.diets) == ["gluten_free", "no_pork"]
    assert lea.health.doctor_phone == "02 38 00 00 00"
    assert "Allergies Arachide" in page(parent_client, lea)


def test_saving_the_empty_health_form_asks_nothing(parent_client, lea):
    response = parent_client.post(f"/enfants/{lea.pk}/sante/modifier/", health(), follow=True)
    assert "Aucune modification" in page_text(response)
    assert not ChangeRequest.objects.exists()


def test_existing_health_data_is_changed_on_approval(parent_client, lea, family, agent):
    Health.objects.create(child=lea, allergies="Arachide", diets=["no_pork"])
    pai = make_document(family, "pai", name="pai-lea.pdf")
    parent_client.post(
        f"/enfants/{lea.pk}/sante/modifier/",
        health(allergies="Arachide", diets=["no_pork"], pai="on", pai_document=pai.pk),
    )
    assert set(the_request().changes) == {"pai", "pai_document"}
    approve(agent)
    lea.health.refresh_from_db()
    assert lea.health.pai and lea.health.pai_document == pai


def test_the_pai_document_is_chosen_among_the_familys_own(parent_client, lea, family, other_family):
    make_document(family, "pai", name="pai-lea.pdf")
    make_document(family, "caf", name="caf.pdf")
    theirs = make_document(other_family, "pai", name="pai-ines.pdf")
    url = f"/enfants/{lea.pk}/sante/modifier/"
    form = page_text(parent_client.get(url))
    assert "pai-lea.pdf" in form
    assert "pai-ines.pdf" not in form and "caf.pdf" not in form
    response = parent_client.post(url, health(pai="on", pai_document=theirs.pk))
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not ChangeRequest.objects.exists()


def test_a_future_vaccination_date_is_refused(parent_client, lea):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = parent_client.post(
        f"/enfants/{lea.pk}/sante/modifier/", health(last_vaccination_date=tomorrow.isoformat())
    )
    assert "La date du dernier rappel est dans le futur." in page_text(response)
    assert not ChangeRequest.objects.exists()


def test_a_new_authorised_person_is_created_on_approval(parent_client, lea, agent):
    response = parent_client.post(f"/enfants/{lea.pk}/personnes/ajouter/", person())
    assert response.url == f"/enfants/{lea.pk}/#personnes"
    assert not AuthorisedPerson.objects.exists()
    assert the_request().fixed == {"child": lea.pk}
    assert "Nouvelle personne autorisée pour Léa" in page(parent_client, lea)
    jeanne = approve(agent)
    assert (jeanne.child, jeanne.first_name, jeanne.can_pick_up) == (lea, "Jeanne", True)
    assert "Jeanne PETIT" in page(parent_client, lea)


def test_an_authorised_person_is_changed_on_approval(parent_client, lea, agent):
    jeanne = AuthorisedPerson.objects.create(
        child=lea,
        first_name="Jeanne",
        last_name="PETIT",
        relationship="Grand-mère",
        phone="06 00 00 00 01",
    )
    url = f"/enfants/{lea.pk}/personnes/{jeanne.pk}/modifier/"
    assert 'value="Grand-mère"' in page_text(parent_client.get(url))
    parent_client.post(url, person(emergency_contact="on"))
    assert "À appeler en cas d'urgence : Non → Oui" in page(parent_client, lea)
    approve(agent)
    jeanne.refresh_from_db()
    assert jeanne.emergency_contact


def test_a_person_with_no_role_or_a_bad_phone_is_refused(parent_client, lea):
    url = f"/enfants/{lea.pk}/personnes/ajouter/"
    response = parent_client.post(url, person(can_pick_up="", phone="12345"))
    text = page_text(response)
    assert "Cochez au moins un rôle" in text
    assert "Numéro de téléphone invalide" in text
    assert not ChangeRequest.objects.exists()


def test_consents_are_created_on_approval(parent_client, lea, agent):
    parent_client.post(
        f"/enfants/{lea.pk}/autorisations/modifier/", {"image_rights": "on", "outings": "on"}
    )
    assert "Droit à l'image (photos, films) : Oui" in page(parent_client, lea)
    approve(agent)
    consents = Consents.objects.get(child=lea)
    assert consents.image_rights and consents.outings and not consents.transport
    assert "Droit à l'image (photos, films) Oui" in page(parent_client, lea)


def test_a_rejected_request_keeps_the_record_and_shows_the_reason(parent_client, lea, agent):
    parent_client.post(f"/enfants/{lea.pk}/etat-civil/modifier/", civil(first_name="Léane"))
    reject(agent, "Joindre l'acte de naissance")
    lea.refresh_from_db()
    assert lea.first_name == "Léa"
    text = visible_text(parent_client.get("/compte/demandes/"))
    assert "État civil de Léa" in text
    assert "Refusée" in text and "Motif : Joindre l'acte de naissance" in text


def test_withdrawing_from_the_childs_page_comes_back_to_it(parent_client, lea):
    parent_client.post(f"/enfants/{lea.pk}/etat-civil/modifier/", civil(birth_place="Tours"))
    request = the_request()
    assert f'action="/compte/demandes/{request.pk}/retirer/"' in page_text(
        parent_client.get(f"/enfants/{lea.pk}/")
    )
    response = parent_client.post(
        f"/compte/demandes/{request.pk}/retirer/", {"next": f"/enfants/{lea.pk}/"}
    )
    assert response.url == f"/enfants/{lea.pk}/"
    assert the_request().status == ChangeStatus.WITHDRAWN
    assert "En attente" not in page(parent_client, lea)


def test_a_new_child_is_created_on_approval(parent_client, family, school, agent):
    response = parent_client.post(
        "/enfants/ajouter/",
        {
            "first_name": "Zoé",
            "last_name": "MARTIN",
            "birth_date": "2022-05-04",
            "sex": "F",
            "birth_place": "",
            "school": school.pk,
            "school_class": "PS",
        },
    )
    assert response.url == "/enfants/"
    assert not Child.objects.filter(first_name="Zoé").exists()
    text = visible_text(parent_client.get("/enfants/"))
    assert "En attente de validation — Nouvel enfant" in text and "Prénom : Zoé" in text
    zoe = approve(agent)
    assert (zoe.family, zoe.school, zoe.school_class) == (family, school, "PS")
    text = visible_text(parent_client.get("/enfants/"))
    assert "Zoé MARTIN" in text and "En attente" not in text


def test_a_new_child_born_in_the_future_is_refused(parent_client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = parent_client.post(
        "/enfants/ajouter/",
        {"first_name": "Zoé", "last_name": "MARTIN", "birth_date": tomorrow.isoformat()},
    )
    assert "La date de naissance est dans le futur." in page_text(response)
    assert not ChangeRequest.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_parents_asking_for_a_first_health_record_at_once_file_one_request(
    family, parent, second_guardian
):
    lea = family.children.get(first_name="Léa")
    clients = []
    for user in (parent, second_guardian):
        client = Client()
        client.force_login(user)
        clients.append(client)
    start = threading.Barrier(2)
    statuses = []

    def ask(client, allergy):
        start.wait()
        try:
            response = client.post(f"/enfants/{lea.pk}/sante/modifier/", health(allergies=allergy))
            statuses.append(response.status_code)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=ask, args=(client, allergy))
        for client, allergy in zip(clients, ("Arachide", "Kiwi"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 302]  # one filed, the other told to withdraw it first
    assert ChangeRequest.objects.filter(family=family).count() == 1
