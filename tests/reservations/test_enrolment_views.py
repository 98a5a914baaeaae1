"""« Inscriptions »: a parent asks to enrol a child; staff validate, unless no validation
is needed."""

from datetime import date

import pytest

from reservations.models import Enrolment, EnrolmentStatus, SchoolYear
from tests.reservations.pages import freeze, text

pytestmark = pytest.mark.django_db
URL = "/reservations/inscriptions/"


@pytest.fixture
def page(parent_client, parent, time_machine, school_year):
    return freeze(time_machine, parent_client, parent)


def ask(client, child, activity, year, **kw):
    return client.post(
        URL, {"child": child.pk, "activity": activity.pk, "school_year": year.pk}, **kw
    )


def test_a_request_waits_for_the_town_hall(page, family, canteen, school_year, parent):
    lea = family.children.get(first_name="Léa")
    response = ask(page, lea, canteen, school_year, follow=True)
    enrolment = Enrolment.objects.get()
    assert (enrolment.child, enrolment.activity, enrolment.school_year) == (
        lea,
        canteen,
        school_year,
    )
    assert enrolment.status == EnrolmentStatus.REQUESTED
    assert enrolment.requested_by == parent
    words = text(response)
    assert "Demande d'inscription de Léa à Restauration scolaire (2026-2027) transmise" in words
    assert "Léa — Restauration scolaire (2026-2027) Demandée" in words


def test_an_activity_without_validation_enrols_at_once(page, family, canteen, school_year):
    canteen.enrolment_needs_validation = False
    canteen.save()
    response = ask(page, family.children.get(first_name="Hugo"), canteen, school_year, follow=True)
    assert Enrolment.objects.get().status == EnrolmentStatus.VALIDATED
    assert "vous pouvez réserver" in text(response)


def test_asking_twice_says_it_is_already_pending(page, family, canteen, school_year):
    lea = family.children.get(first_name="Léa")
    ask(page, lea, canteen, school_year)
    response = ask(page, lea, canteen, school_year)
    assert response.status_code == 400
    assert "est déjà en attente de validation" in text(response)
    assert Enrolment.objects.count() == 1


def test_a_refused_enrolment_may_be_asked_again(page, family, canteen, school_year):
    lea = family.children.get(first_name="Léa")
    Enrolment.objects.create(
        child=lea,
        activity=canteen,
        school_year=school_year,
        status=EnrolmentStatus.REFUSED,
        reason="Dossier incomplet",
    )
    assert "Dossier incomplet" in text(page.get(URL))
    ask(page, lea, canteen, school_year)
    enrolment = Enrolment.objects.get()
    assert (enrolment.status, enrolment.reason) == (EnrolmentStatus.REQUESTED, "")


def test_an_activity_for_other_schools_is_refused_plainly(page, family, canteen, school_year):
    from children.models import School

    canteen.schools.add(School.objects.create(name="École Pasteur"))
    response = ask(page, family.children.get(first_name="Léa"), canteen, school_year)
    assert response.status_code == 400
    assert "est réservé aux enfants d'autres écoles que celle de Léa" in text(response)
    assert not Enrolment.objects.exists()


def test_a_past_school_year_is_not_offered(page, family, canteen):
    old = SchoolYear.objects.create(name="2025-2026", start=date(2025, 9, 1), end=date(2026, 8, 31))
    assert "2025-2026" not in text(page.get(URL))
    response = ask(page, family.children.first(), canteen, old)
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_another_familys_child_is_not_a_valid_choice(page, other_family, canteen, school_year):
    response = ask(page, other_family.children.get(), canteen, school_year)
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)
    assert not Enrolment.objects.exists()


def test_a_pending_request_may_be_withdrawn(page, family, canteen, school_year):
    ask(page, family.children.get(first_name="Léa"), canteen, school_year)
    enrolment = Enrolment.objects.get()
    response = page.post(f"{URL}{enrolment.pk}/retirer/", follow=True)
    assert "Demande d'inscription de Léa à Restauration scolaire retirée." in text(response)
    assert not Enrolment.objects.exists()


def test_a_decided_enrolment_cannot_be_withdrawn(page, family, canteen, school_year):
    enrolment = Enrolment.objects.create(
        child=family.children.first(),
        activity=canteen,
        school_year=school_year,
        status=EnrolmentStatus.VALIDATED,
    )
    response = page.post(f"{URL}{enrolment.pk}/retirer/", follow=True)
    assert "déjà été traitée" in text(response)
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


def test_withdrawing_another_familys_enrolment_is_a_404(page, other_family, canteen, school_year):
    enrolment = Enrolment.objects.create(
        child=other_family.children.get(), activity=canteen, school_year=school_year
    )
    assert page.post(f"{URL}{enrolment.pk}/retirer/").status_code == 404
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


def test_withdraw_is_post_only(page, family, canteen, school_year):
    enrolment = Enrolment.objects.create(
        child=family.children.first(), activity=canteen, school_year=school_year
    )
    assert page.get(f"{URL}{enrolment.pk}/retirer/").status_code == 405


def test_the_list_shows_only_the_familys_enrolments(
    page, family, other_family, canteen, school_year
):
    Enrolment.objects.create(
        child=other_family.children.get(), activity=canteen, school_year=school_year
    )
    assert "Inès" not in text(page.get(URL))


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get(URL).url.startswith("/connexion/")
