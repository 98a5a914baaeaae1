"""« Semaine type »: the same weekdays over a period, with exceptions, in one submit."""

from datetime import date

import pytest

from reservations.models import Booking, Status
from reservations.services import book
from tests.reservations.pages import freeze, text

pytestmark = pytest.mark.django_db
URL = "/reservations/semaine-type/"
MONDAY, TUESDAY, THURSDAY, FRIDAY = 0, 1, 3, 4


@pytest.fixture
def page(parent_client, parent, time_machine, enrolled, meal, alsh_day):
    return freeze(time_machine, parent_client, parent)


def post(client, *, children, unit, weekdays, start, end, exceptions="", action="book", **kw):
    return client.post(
        URL,
        {
            "children": [c.pk for c in children],
            "unit": unit.pk,
            "weekdays": weekdays,
            "start": start,
            "end": end,
            "exceptions": exceptions,
            "action": action,
        },
        **kw,
    )


def booked_days(child) -> list[date]:
    return sorted(
        Booking.objects.filter(child=child, status=Status.BOOKED).values_list("day", flat=True)
    )


def test_mondays_and_thursdays_over_a_period_with_exceptions_books_exactly_those_days(
    page, enrolled, meal
):
    lea, hugo = enrolled
    # 7 December 2026 → 15 January 2027: the Christmas holidays and 1 January are closed;
    # 10 December and 11 January are the family's exceptions.
    response = post(
        page,
        children=[lea, hugo],
        unit=meal,
        weekdays=[MONDAY, THURSDAY],
        start="2026-12-07",
        end="2027-01-15",
        exceptions="10/12/2026, 11/01/2027",
        follow=True,
    )
    expected = [
        date(2026, 12, 7),
        date(2026, 12, 14),
        date(2026, 12, 17),
        date(2027, 1, 4),
        date(2027, 1, 7),
        date(2027, 1, 14),
    ]
    assert booked_days(lea) == expected
    assert booked_days(hugo) == expected
    words = text(response)
    assert response.redirect_chain[-1][0] == "/reservations/?mois=2026-12&semaine=2026-12-07"
    assert "C'est fait : 12 demande(s) enregistrée(s)." in words
    assert "4 jour(s) de la période sans accueil pour cette activité" in words
    assert "Lundi 14 décembre 2026 — Hugo — Restauration scolaire : Réservé" in words


def test_days_past_the_deadline_are_refused_with_their_reason_the_others_booked(
    page, enrolled, meal
):
    lea = enrolled[0]
    response = post(
        page,
        children=[lea],
        unit=meal,
        weekdays=[MONDAY, TUESDAY, THURSDAY, FRIDAY],
        start="2026-11-30",
        end="2026-12-04",
        follow=True,
    )
    assert booked_days(lea) == [date(2026, 12, 3), date(2026, 12, 4)]
    words = text(response)
    assert "2 fait(s), 2 refusé(s)" in words
    assert "Lundi 30 novembre 2026 — Léa — Restauration scolaire : Délai dépassé" in words


def test_cancelling_a_typical_week(page, enrolled, meal, parent):
    lea = enrolled[0]
    days = [date(2026, 12, d) for d in (7, 8, 10, 11, 14, 15)]
    book(items=[(lea, meal, d) for d in days], by=parent)
    response = post(
        page,
        children=[lea],
        unit=meal,
        weekdays=[TUESDAY],
        start="2026-12-07",
        end="2026-12-18",
        action="cancel",
        follow=True,
    )
    assert booked_days(lea) == [date(2026, 12, d) for d in (7, 10, 11, 14)]
    assert "Mardi 8 décembre 2026 — Léa — Restauration scolaire : Annulé" in text(response)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"exceptions": "31/02/2027"}, "« 31/02/2027 » n'est pas une date"),
        ({"end": "2026-12-01"}, "La fin de la période précède son début."),
        ({"start": "2026-11-02"}, "La période ne peut pas commencer dans le passé."),
        ({"end": "2028-12-01"}, "Une période d'un an au plus"),
        ({"start": "demain"}, "Saisissez une date valide."),
        ({"weekdays": []}, "Cochez au moins un jour de la semaine."),
        ({"weekdays": [6]}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_input_says_why_and_books_nothing(page, enrolled, meal, changes, message):
    data = {
        "children": enrolled,
        "unit": meal,
        "weekdays": [MONDAY],
        "start": "2026-12-07",
        "end": "2027-01-15",
        **changes,
    }
    response = post(page, **data)
    assert response.status_code == 400
    assert message in text(response)
    assert not Booking.objects.exists()


def test_an_unknown_unit_is_a_form_error(page, enrolled, meal):
    response = page.post(
        URL,
        {
            "children": [enrolled[0].pk],
            "unit": 999999,
            "weekdays": [MONDAY],
            "start": "2026-12-07",
            "end": "2026-12-18",
            "action": "book",
        },
    )
    assert response.status_code == 400
    assert "Sélectionnez un choix valide" in text(response)


def test_another_familys_child_is_a_404_and_nothing_is_booked(page, enrolled, meal, other_family):
    response = post(
        page,
        children=[enrolled[0], other_family.children.get()],
        unit=meal,
        weekdays=[MONDAY],
        start="2026-12-07",
        end="2026-12-18",
    )
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_the_form_offers_the_familys_children_and_the_active_units(page, alsh_day):
    words = text(page.get(URL))
    assert "Léa" in words and "Hugo" in words and "Inès" not in words
    assert "Restauration scolaire" in words and "ALSH vacances" in words


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    assert client.get(URL).url.startswith("/connexion/")
