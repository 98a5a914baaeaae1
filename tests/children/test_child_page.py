"""A child's page: its sections in a left menu, read-only, with pending requests."""

from datetime import date

import pytest

from accounts import change_requests as cr
from children.models import AuthorisedPerson, Child, Consents, Diet, Health
from tests.helpers import page_text
from tests.records import make_document, visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def lea(family) -> Child:
    return family.children.get(first_name="Léa")


def test_the_list_links_each_first_name_to_the_childs_page(parent_client, lea):
    page = page_text(parent_client.get("/enfants/"))
    assert f'<a href="/enfants/{lea.pk}/">Léa</a>' in page
    assert 'href="/enfants/ajouter/"' in page


def test_the_page_shows_every_section_with_a_left_menu(parent_client, family, lea):
    Health.objects.create(
        child=lea,
        allergies="Arachide",
        diets=[Diet.NO_PORK, Diet.GLUTEN_FREE],
        pai=True,
        pai_document=make_document(family, "pai", name="pai-lea.pdf"),
        doctor_name="Dr Lenoir",
    )
    Consents.objects.create(child=lea, image_rights=True)
    person = AuthorisedPerson.objects.create(
        child=lea,
        first_name="Jeanne",
        last_name="PETIT",
        relationship="Grand-mère",
        phone="06 00 00 00 01",
    )
    response = parent_client.get(f"/enfants/{lea.pk}/")
    page = page_text(response)
    assert 'aria-label="Rubriques de la fiche de Léa"' in page
    for anchor in ("etat-civil", "scolarite", "sante", "personnes", "autorisations"):
        assert f'href="/enfants/{lea.pk}/#{anchor}"' in page
        assert f'id="{anchor}"' in page
    text = visible_text(response)
    assert "Date de naissance 14 mars 2017" in text
    assert "École École Jules-Ferry" in text and "Classe CE2" in text
    assert "Régimes alimentaires Sans gluten, Sans porc" in text
    assert "pai-lea.pdf" in text and "Dr Lenoir" in text
    assert "Jeanne PETIT" in text and "Grand-mère" in text
    assert "Droit à l'image (photos, films) Oui" in text
    assert "Sorties hors de l'établissement Non" in text
    assert f'href="/enfants/{lea.pk}/sante/modifier/"' in page
    assert f'href="/enfants/{lea.pk}/personnes/{person.pk}/modifier/"' in page
    assert f'href="/enfants/{lea.pk}/personnes/ajouter/"' in page


def test_a_child_without_health_data_or_consents_shows_the_defaults(parent_client, lea):
    text = visible_text(parent_client.get(f"/enfants/{lea.pk}/"))
    assert "Allergies Non renseigné" in text
    assert "PAI (projet d'accueil individualisé) Non" in text
    assert "Aucune personne autorisée n'est enregistrée." in text


def test_a_pending_health_request_shows_on_the_page(parent_client, family, parent, lea):
    cr.submit(
        family=family,
        section="enfant-sante",
        label="Santé de Léa",
        by=parent,
        model=Health,
        fixed={"child": lea.pk},
        data={"allergies": "Kiwi"},
    )
    text = visible_text(parent_client.get(f"/enfants/{lea.pk}/"))
    assert "En attente de validation — Santé de Léa" in text
    assert "Allergies : Kiwi" in text
    # a brother's page does not show it
    hugo = family.children.get(first_name="Hugo")
    assert "Kiwi" not in visible_text(parent_client.get(f"/enfants/{hugo.pk}/"))


def test_the_pages_run_a_bounded_number_of_queries(
    parent_client, family, parent, school, lea, django_assert_max_num_queries
):
    for i in range(4):
        child = Child.objects.create(
            family=family,
            first_name=f"Enfant{i}",
            last_name="MARTIN",
            birth_date=date(2018, 1, 1),
            school=school,
        )
        Health.objects.create(child=child, allergies="Pollen")
        cr.submit(
            family=family,
            section="enfant-etat-civil",
            label=f"État civil de {child}",
            by=parent,
            instance=child,
            data={"birth_place": "Tours"},
        )
    for i in range(4):
        person = AuthorisedPerson.objects.create(
            child=lea,
            first_name=f"Ami{i}",
            last_name="X",
            relationship="Voisin",
            phone="06 00 00 00 02",
        )
        cr.submit(
            family=family,
            section="enfant-personne",
            label=f"Personne {person}",
            by=parent,
            instance=person,
            data={"relationship": "Oncle"},
        )
    parent_client.get("/enfants/")  # the session's activity stamp is written once
    with django_assert_max_num_queries(6):
        assert parent_client.get("/enfants/").status_code == 200
    with django_assert_max_num_queries(8):
        response = parent_client.get(f"/enfants/{lea.pk}/")
    assert visible_text(response).count("Voisin → Oncle") == 4
