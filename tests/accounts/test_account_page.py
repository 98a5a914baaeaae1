"""Mon compte: the family record, read-only, by sections, with pending requests."""

from datetime import date
from decimal import Decimal

import pytest

from accounts import change_requests as cr
from tests.helpers import page_text
from tests.records import make_document, make_guardian, visible_text

pytestmark = pytest.mark.django_db

URL = "/compte/"


def test_it_shows_the_record_by_sections_with_a_menu(parent_client, family):
    family.phone = "02 38 00 00 00"
    family.email = "foyer@example.org"
    family.allocataire_number = "1234567"
    family.save()
    claire = make_guardian(family, employer="Mairie", work_phone="02 38 11 22 33")
    family.billing_guardian = claire
    family.save()
    page = page_text(parent_client.get(URL))
    for heading in (
        "Adresse et coordonnées du foyer",
        "Responsables légaux",
        "Allocations et quotient familial",
        "Facturation",
        "Préférences",
        "Identifiants et mot de passe",
        "Mes justificatifs",
    ):
        assert f">{heading}</h2>" in page
    assert 'aria-label="Rubriques"' in page
    assert "12 rue des Tilleuls" in page and "02 38 00 00 00" in page
    assert "Claire MARTIN" in page and "Mère" in page and "Mairie" in page
    assert "Peut être facturé" in page
    assert "1234567" in page
    assert "Recevoir les messages aussi par e-mail" in page
    assert page.count("Demander une modification") >= 5
    assert 'href="/compte/coordonnees/modifier/"' in page
    assert f'href="/compte/responsables/{claire.pk}/modifier/"' in page
    assert 'href="/compte/responsables/ajouter/"' in page


def test_without_a_valid_quotient_it_says_the_top_tariff_applies(
    parent_client, family, time_machine
):
    time_machine.move_to("2026-11-29 10:00:00+01:00", tick=False)
    warning = "Sans quotient valide, le tarif le plus élevé s'applique"
    assert warning in page_text(parent_client.get(URL))
    family.quotient = Decimal("612.50")
    family.quotient_valid_from = date(2026, 1, 1)
    family.quotient_valid_until = date(2026, 10, 31)  # expired
    family.save()
    page = page_text(parent_client.get(URL))
    assert warning in page and "612,50" in page and "31 octobre 2026" in page
    family.quotient_valid_until = date(2026, 12, 31)
    family.save()
    assert warning not in page_text(parent_client.get(URL))


def test_the_quotient_section_links_the_attestation_and_the_justificatifs(parent_client, family):
    family.quotient_document = make_document(family, "caf", name="caf-2026.pdf")
    family.save()
    page = page_text(parent_client.get(URL))
    assert 'href="/compte/justificatifs/"' in page
    assert f'href="/compte/justificatifs/{family.quotient_document.pk}/"' in page
    assert "caf-2026.pdf" in page


def test_a_pending_request_shows_what_since_when_and_how_to_withdraw(
    parent_client, family, parent, time_machine
):
    time_machine.move_to("2026-11-03 09:15:00+01:00", tick=False)
    request = cr.submit(
        family=family,
        section="famille-coordonnees",
        label="Adresse et coordonnées du foyer",
        by=parent,
        instance=family,
        data={"city": "Orléans"},
    )
    page = page_text(parent_client.get(URL))
    assert "En attente de validation" in page
    assert "Commune : Valmont → Orléans" in visible_text(parent_client.get(URL))
    assert "3 novembre 2026 à 09h15" in page
    assert f'action="/compte/demandes/{request.pk}/retirer/"' in page
    assert "Retirer ma demande" in page


def test_a_person_without_family_is_told_so(client, agent):
    client.force_login(agent)
    assert client.get(URL).status_code == 403


def test_an_anonymous_visitor_is_sent_to_login(client):
    assert client.get(URL).url.startswith("/connexion/")


def test_the_page_runs_a_bounded_number_of_queries(
    parent_client, family, parent, second_guardian, django_assert_max_num_queries
):
    guardians = [make_guardian(family, f"Parent{i}") for i in range(4)]
    for guardian in guardians:
        cr.submit(
            family=family,
            section="responsable",
            label=f"Responsable légal : {guardian}",
            by=parent,
            instance=guardian,
            data={"employer": "Ailleurs"},
        )
    cr.submit(
        family=family,
        section="famille-coordonnees",
        label="Adresse",
        by=parent,
        instance=family,
        data={"phone": "06 00 00 00 00"},
    )
    parent_client.get(URL)  # the session's activity stamp is written once, not counted here
    with django_assert_max_num_queries(8):
        response = parent_client.get(URL)
    assert page_text(response).count("En attente de validation") == 5
