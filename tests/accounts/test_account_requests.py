"""Mon compte: each request kind end to end, from the parent's side.

The parent asks → the record is unchanged and the request shows as pending; the town
hall approves → the record changes and the page shows it; or rejects → unchanged, and
the reason is on « Mes demandes ».
"""

import pytest

from accounts.models import ChangeRequest, ChangeStatus, Guardian
from tests.helpers import page_text
from tests.records import approve, make_document, make_guardian, reject, the_request, visible_text

pytestmark = pytest.mark.django_db

ACCOUNT = "/compte/"
REQUESTS = "/compte/demandes/"
SENT = "Votre demande a été transmise à la mairie"

ADDRESS = {
    "address_line1": "12 rue des Tilleuls",
    "address_line2": "",
    "postal_code": "45000",
    "city": "Valmont",
    "phone": "",
    "email": "",
}


def guardian_form(**changes) -> dict:
    return {
        "first_name": "Claire",
        "last_name": "MARTIN",
        "relationship": "mother",
        "mobile_phone": "06 12 34 56 78",
        "home_phone": "",
        "work_phone": "",
        "email": "",
        "employer": "",
        "can_be_billed": "on",
        **changes,
    }


def test_the_form_is_prefilled_with_the_record_and_french_labels(parent_client):
    page = page_text(parent_client.get("/compte/coordonnees/modifier/"))
    assert 'value="12 rue des Tilleuls"' in page
    assert "Téléphone du foyer" in page and "Code postal" in page
    assert 'href="/compte/#coordonnees" aria-current="page"' in page  # the left menu
    assert 'href="/compte/" aria-current="page">Mon compte' in page  # the tab
    assert ">Enregistrer</button>" in page


def test_an_address_change_waits_for_approval_then_shows(parent_client, family, agent):
    response = parent_client.post(
        "/compte/coordonnees/modifier/", {**ADDRESS, "city": "Orléans", "phone": "0238000000"}
    )
    assert response.status_code == 302
    assert response.url == "/compte/#coordonnees"
    family.refresh_from_db()
    assert (family.city, family.phone) == ("Valmont", "")  # nothing applied yet
    request = the_request()
    assert request.changes == {
        "city": {"old": "Valmont", "new": "Orléans"},
        "phone": {"old": "", "new": "02 38 00 00 00"},  # stored in its readable form
    }
    assert request.page_url == "/compte/#coordonnees"
    text = visible_text(parent_client.get(ACCOUNT))
    assert "En attente de validation" in text
    assert "Commune : Valmont → Orléans" in text

    approve(agent)
    text = visible_text(parent_client.get(ACCOUNT))
    assert "En attente de validation" not in text
    assert "Orléans" in text and "02 38 00 00 00" in text


def test_the_confirmation_is_shown_after_saving(parent_client):
    response = parent_client.post(
        "/compte/coordonnees/modifier/", {**ADDRESS, "city": "Orléans"}, follow=True
    )
    assert SENT in page_text(response)


def test_a_rejected_request_keeps_the_record_and_gives_the_reason(parent_client, family, agent):
    parent_client.post("/compte/coordonnees/modifier/", {**ADDRESS, "city": "Orléans"})
    reject(agent, "Justificatif de domicile manquant")
    family.refresh_from_db()
    assert family.city == "Valmont"
    text = visible_text(parent_client.get(REQUESTS))
    assert "Refusée" in text and "Motif : Justificatif de domicile manquant" in text
    assert "En attente de validation" not in visible_text(parent_client.get(ACCOUNT))


def test_saving_without_a_change_creates_nothing(parent_client):
    response = parent_client.post("/compte/coordonnees/modifier/", ADDRESS, follow=True)
    assert "Aucune modification" in page_text(response)
    assert not ChangeRequest.objects.exists()


def test_a_second_request_for_the_same_section_asks_to_withdraw_the_first(parent_client):
    parent_client.post("/compte/coordonnees/modifier/", {**ADDRESS, "city": "Orléans"})
    response = parent_client.post("/compte/coordonnees/modifier/", {**ADDRESS, "city": "Tours"})
    assert "retirez-la d'abord" in page_text(response)
    assert ChangeRequest.objects.count() == 1


def test_a_bad_phone_is_refused_in_french_and_nothing_is_saved(parent_client):
    response = parent_client.post("/compte/coordonnees/modifier/", {**ADDRESS, "phone": "12345"})
    assert response.status_code == 400
    assert "Numéro de téléphone invalide" in page_text(response)
    assert not ChangeRequest.objects.exists()


def test_quotient_dates_out_of_order_are_refused(parent_client, family):
    response = parent_client.post(
        "/compte/allocations/modifier/",
        {
            "regime": "caf",
            "allocataire_number": "123",
            "quotient": "612.50",
            "quotient_valid_from": "2026-09-01",
            "quotient_valid_until": "2026-01-31",
            "quotient_document": "",
        },
    )
    assert "La fin de validité précède son début." in page_text(response)
    assert not ChangeRequest.objects.exists()


def test_the_quotient_with_its_attestation_is_applied_on_approval(
    parent_client, family, agent, time_machine
):
    time_machine.move_to("2026-11-29 10:00:00+01:00", tick=False)
    attestation = make_document(family, "caf", name="caf-2026.pdf")
    parent_client.post(
        "/compte/allocations/modifier/",
        {
            "regime": "caf",
            "allocataire_number": "7654321",
            "quotient": "612.50",
            "quotient_valid_from": "2026-01-01",
            "quotient_valid_until": "2026-12-31",
            "quotient_document": attestation.pk,
        },
    )
    text = visible_text(parent_client.get(ACCOUNT))
    assert "Quotient familial : — → 612,50" in text
    assert "Sans quotient valide" in text  # not before the town hall approves
    approve(agent)
    family.refresh_from_db()
    assert family.quotient_document == attestation
    text = visible_text(parent_client.get(ACCOUNT))
    assert "Sans quotient valide" not in text and "612,50" in text


def test_only_the_familys_own_attestations_can_be_chosen(parent_client, family, other_family):
    theirs = make_document(other_family, "caf", name="leur-attestation.pdf")
    mine = make_document(family, "caf", name="mon-attestation.pdf")
    make_document(family, "pai", name="pai.pdf")
    page = page_text(parent_client.get("/compte/allocations/modifier/"))
    assert "mon-attestation.pdf" in page
    assert "leur-attestation.pdf" not in page and "pai.pdf" not in page
    response = parent_client.post(
        "/compte/allocations/modifier/",
        {"regime": "caf", "quotient_document": theirs.pk},
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in page_text(response)
    assert not ChangeRequest.objects.exists()
    parent_client.post(
        "/compte/allocations/modifier/", {"regime": "caf", "quotient_document": mine.pk}
    )
    assert the_request().changes["quotient_document"] == {"old": None, "new": mine.pk}


def test_the_billed_guardian_is_chosen_among_the_familys_guardians(
    parent_client, family, other_family, agent
):
    claire = make_guardian(family)
    stranger = make_guardian(other_family, "Sophie")
    response = parent_client.post(
        "/compte/facturation/modifier/", {"billing_guardian": stranger.pk}
    )
    assert response.status_code == 400
    assert not ChangeRequest.objects.exists()
    parent_client.post("/compte/facturation/modifier/", {"billing_guardian": claire.pk})
    approve(agent)
    family.refresh_from_db()
    assert family.billing_guardian == claire


def test_preferences_can_be_changed(parent_client, family, agent):
    parent_client.post("/compte/preferences/modifier/", {})  # the box unticked
    approve(agent)
    family.refresh_from_db()
    assert family.email_notifications is False
    assert "Recevoir les messages aussi par e-mail Non" in visible_text(parent_client.get(ACCOUNT))


def test_a_guardian_change_is_applied_on_approval(parent_client, family, agent):
    claire = make_guardian(family)
    url = f"/compte/responsables/{claire.pk}/modifier/"
    assert 'value="06 12 34 56 78"' in page_text(parent_client.get(url))
    parent_client.post(url, guardian_form(employer="Hôpital", work_phone="02.38.12.34.56"))
    claire.refresh_from_db()
    assert claire.employer == ""
    assert "Employeur : — → Hôpital" in visible_text(parent_client.get(ACCOUNT))
    approve(agent)
    claire.refresh_from_db()
    assert (claire.employer, claire.work_phone) == ("Hôpital", "02 38 12 34 56")


def test_a_guardian_needs_a_phone_and_a_first_name(parent_client, family):
    claire = make_guardian(family)
    response = parent_client.post(
        f"/compte/responsables/{claire.pk}/modifier/",
        guardian_form(first_name="", mobile_phone=""),
    )
    page = page_text(response)
    assert "Ce champ est obligatoire." in page
    assert "Indiquez au moins un numéro de téléphone." in page
    assert not ChangeRequest.objects.exists()


def test_a_new_guardian_is_created_on_approval(parent_client, family, agent):
    response = parent_client.post(
        "/compte/responsables/ajouter/",
        guardian_form(first_name="Paul", relationship="father", mobile_phone="0611223344"),
    )
    assert response.url == "/compte/#responsables"
    assert not Guardian.objects.exists()
    request = the_request()
    assert request.fixed == {"family": family.pk} and request.object_id is None
    assert "Prénom : Paul" in visible_text(parent_client.get(ACCOUNT))
    paul = approve(agent)
    assert (paul.family, paul.first_name, paul.mobile_phone) == (family, "Paul", "06 11 22 33 44")
    assert "Paul MARTIN" in visible_text(parent_client.get(ACCOUNT))


def test_withdrawing_a_request_cancels_it(parent_client, family, agent):
    parent_client.post("/compte/coordonnees/modifier/", {**ADDRESS, "city": "Orléans"})
    request = the_request()
    response = parent_client.post(
        f"/compte/demandes/{request.pk}/retirer/", {"next": "/compte/"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/compte/"
    assert "est retirée" in page_text(response)
    request.refresh_from_db()
    assert request.status == ChangeStatus.WITHDRAWN
    assert "Retirée par la famille" in visible_text(parent_client.get(REQUESTS))
    # the family may ask again
    parent_client.post("/compte/coordonnees/modifier/", {**ADDRESS, "city": "Tours"})
    assert ChangeRequest.objects.filter(status=ChangeStatus.PENDING).count() == 1


def test_a_decided_request_can_no_longer_be_withdrawn(parent_client, family, agent):
    parent_client.post("/compte/coordonnees/modifier/", {**ADDRESS, "city": "Orléans"})
    approve(agent)
    response = parent_client.post(f"/compte/demandes/{the_request().pk}/retirer/", follow=True)
    assert "déjà traité cette demande" in page_text(response)
    assert the_request().status == ChangeStatus.APPROVED


def test_withdrawal_never_redirects_off_site(parent_client):
    parent_client.post("/compte/coordonnees/modifier/", {**ADDRESS, "city": "Orléans"})
    response = parent_client.post(
        f"/compte/demandes/{the_request().pk}/retirer/", {"next": "https://evil.example/"}
    )
    assert response.url == "/compte/#coordonnees"


def test_the_requests_page_lists_the_familys_requests_and_their_answers(
    parent_client, family, agent, other_parent, client
):
    parent_client.post("/compte/coordonnees/modifier/", {**ADDRESS, "city": "Orléans"})
    approve(agent)
    parent_client.post("/compte/preferences/modifier/", {})
    client.force_login(other_parent)
    client.post("/compte/coordonnees/modifier/", {**ADDRESS, "city": "Chez les Durand"})
    text = visible_text(parent_client.get(REQUESTS))
    assert "Acceptée" in text and "Valmont → Orléans" in text
    assert "En attente de validation" in text
    assert text.count("Retirer ma demande") == 1
    assert "Chez les Durand" not in text
    assert "Chez les Durand" in visible_text(client.get(REQUESTS))
