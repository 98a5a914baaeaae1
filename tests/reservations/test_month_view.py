"""The family's month: each child's day says what it is and, when it cannot change, why."""

from datetime import date

import pytest

from children.models import Child
from reservations import month
from reservations.models import Activity, Booking, Closure, EnrolmentStatus, Pattern, Unit
from reservations.periods import Period
from reservations.services import book
from tests.reservations.conftest import enrol
from tests.reservations.pages import (
    CHRISTMAS_MONDAY,
    FRIDAY,
    MONDAY_8H,
    THURSDAY,
    freeze,
    text,
)

pytestmark = pytest.mark.django_db
URL = "/reservations/"


@pytest.fixture
def page(parent_client, parent, time_machine, enrolled, meal, alsh_day):
    return freeze(time_machine, parent_client, parent)


def grid_cell(family, child, unit, day):
    grid = month.build(family_id=family.pk, start=day, end=day, at=MONDAY_8H)
    row = next(r for r in grid.rows if r.child == child and r.unit == unit)
    return row.cells[day]


def fill(unit, day, *, by, school_year, places=5, family=None):
    """Other children take the `places` of the day (one family, enrolled)."""
    from accounts.models import Family

    family = family or Family.objects.create(name="AUTRES", city="Valmont")
    kids = [
        Child.objects.create(
            family=family, first_name=f"K{n}", last_name="X", birth_date=date(2018, 1, 1)
        )
        for n in range(places)
    ]
    enrol(kids, unit.activity, year=school_year)
    for kid in kids:
        book(items=[(kid, unit, day)], by=by, at=MONDAY_8H)
    return kids


def test_a_booked_day_says_so_and_offers_to_cancel(page, enrolled, meal, parent):
    lea = enrolled[0]
    book(items=[(lea, meal, THURSDAY)], by=parent)
    response = page.get(URL, {"mois": "2026-12"})
    assert response.status_code == 200
    words = text(response)
    assert "Annuler Léa — Restauration scolaire — jeudi 3 décembre" in words
    assert "Réserver Léa — Restauration scolaire — vendredi 4 décembre" in words
    assert "Réserver Hugo — Restauration scolaire — jeudi 3 décembre" in words
    cell = grid_cell(lea.family, lea, meal, THURSDAY)
    assert (cell.state, cell.text, cell.action) == (month.State.BOOKED, "Réservé", "cancel")


def test_a_day_past_its_deadline_says_since_when(page, enrolled, meal, parent):
    words = text(page.get(URL, {"mois": "2026-12"}))
    # Monday 30 November: J-2 10h is Saturday 28 November; Tuesday 1 December: Sunday 29.
    assert "Délai dépassé depuis le samedi 28 à 10h" in words
    assert "Délai dépassé depuis le dimanche 29 novembre à 10h" in words
    assert "Réserver Léa — Restauration scolaire — mardi 1er décembre" not in words


def test_a_booked_day_past_its_cancel_deadline_says_why_not(enrolled, meal, parent):
    lea = enrolled[0]
    Booking.objects.create(
        child=lea, activity=meal.activity, unit=meal, day=date(2026, 12, 1), status="booked"
    )
    cell = grid_cell(lea.family, lea, meal, date(2026, 12, 1))
    assert cell.state == month.State.BOOKED and cell.action is None
    assert cell.note == "Délai dépassé depuis le dimanche 29 novembre à 10h"


def test_closed_days_say_why_and_a_closed_week_is_said_once(page, canteen):
    Closure.objects.create(
        activity=canteen, start=date(2026, 12, 11), end=date(2026, 12, 11), reason="Grève"
    )
    response = page.get(URL, {"mois": "2026-12"})
    words = text(response)
    assert "Pas d'accueil le mercredi" in words
    assert "Fermé : grève" in words
    assert "Fermé : vacances de Noël" in words
    assert "Accueil pendant les vacances seulement" in words
    # The Christmas week of the canteen: Monday to Thursday in one cell, then Noël.
    assert 'colspan="4"' in response.content.decode()


def test_a_change_of_the_staff_shows_on_the_next_request(page, canteen, meal, enrolled):
    """The activities, units, rules and closures every family shares are kept between
    requests only while the database holds the same: each edit shows at once."""
    assert "Fermé : grève" not in text(page.get(URL, {"mois": "2026-12"}))
    closure = Closure.objects.create(
        activity=canteen, start=date(2026, 12, 10), end=date(2026, 12, 11), reason="Grève"
    )
    assert "Fermé : grève" in text(page.get(URL, {"mois": "2026-12"}))
    closure.reason = "Travaux"
    closure.save()
    words = text(page.get(URL, {"mois": "2026-12"}))
    assert "Fermé : travaux" in words and "Fermé : grève" not in words
    closure.delete()
    meal.capacity = 1
    meal.save()
    words = text(page.get(URL, {"mois": "2026-12"}))
    assert "Fermé : travaux" not in words and "1 place" in words
    canteen.name = "Cantine"
    canteen.save()
    assert "Léa — Cantine — jeudi 3 décembre" in text(page.get(URL, {"mois": "2026-12"}))


def test_a_child_not_enrolled_reads_non_inscrit(
    parent_client, parent, time_machine, family, canteen, meal, school_year
):
    lea, hugo = family.children.order_by("birth_date")
    enrol([lea], canteen, year=school_year)
    enrol([hugo], canteen, year=school_year, status=EnrolmentStatus.REQUESTED)
    garderie = Activity.objects.create(
        name="Garderie du soir",
        pattern=Pattern.SCHOOL_DAYS,
        booking_rule=canteen.booking_rule,
        cancel_rule=canteen.cancel_rule,
    )
    Unit.objects.create(activity=garderie, name="Soir")
    freeze(time_machine, parent_client, parent)
    words = text(parent_client.get(URL, {"mois": "2026-12"}))
    assert "Non inscrit" in words
    # No row of « Non inscrit » every day: the activity is named once, with the way to enrol.
    assert "Léa : Garderie du soir" in words and "Hugo : Garderie du soir" in words
    assert "Inscription en attente de validation" in words
    assert "Réserver Hugo" not in words
    assert "Réserver Léa — Restauration scolaire — jeudi 3 décembre" in words


def test_a_full_day_offers_the_waiting_list_and_a_waiting_child_reads_its_rank(
    page, enrolled, alsh_day, parent, agent, school_year
):
    lea, hugo = enrolled
    fill(alsh_day, CHRISTMAS_MONDAY, by=agent, school_year=school_year, places=6)  # 5 + 1st
    [outcome] = book(items=[(lea, alsh_day, CHRISTMAS_MONDAY)], by=parent)
    assert outcome.message == "Complet — liste d'attente (2e)"
    words = text(page.get(URL, {"mois": "2026-12"}))
    assert "Liste d'attente (2e)" in words
    assert "Quitter la liste Léa — ALSH vacances — lundi 21 décembre" in words
    assert "Complet liste d'attente possible" in words
    assert "Liste d'attente Hugo — ALSH vacances — lundi 21 décembre" in words
    cell = grid_cell(lea.family, hugo, alsh_day, CHRISTMAS_MONDAY)
    assert (cell.state, cell.action) == (month.State.FULL, "book")


def test_each_waiting_day_reads_its_own_rank(page, enrolled, alsh_day, parent, agent, school_year):
    lea, hugo = enrolled
    tuesday = date(2026, 12, 22)
    others = fill(alsh_day, CHRISTMAS_MONDAY, by=agent, school_year=school_year, places=7)
    for kid in others[:5]:
        book(items=[(kid, alsh_day, tuesday)], by=agent, at=MONDAY_8H)
    book(items=[(lea, alsh_day, d) for d in (CHRISTMAS_MONDAY, tuesday)], by=parent)
    book(items=[(hugo, alsh_day, tuesday)], by=parent)
    words = text(page.get(URL, {"mois": "2026-12"}))
    # Monday: two others wait before Léa; Tuesday: Léa first, then Hugo.
    assert "Liste d'attente (3e)" in words
    assert "Liste d'attente (1re)" in words and "Liste d'attente (2e)" in words


def test_places_left_are_shown_on_a_day_with_a_capacity(page, alsh_day, agent, school_year):
    fill(alsh_day, CHRISTMAS_MONDAY, by=agent, school_year=school_year, places=4)
    words = text(page.get(URL, {"mois": "2026-12"}))
    assert "Libre 1 place" in words
    assert "Libre 5 places" in words


def test_the_phone_week_lists_each_day_with_its_reasons(page, enrolled, meal, parent):
    book(items=[(enrolled[0], meal, FRIDAY)], by=parent)
    response = page.get(URL, {"semaine": "2026-12-02"})
    week = text(response).split("Semaine du 30 novembre au 4 décembre")[1]
    assert (
        "Toute la semaine Léa — ALSH vacances Accueil pendant les vacances seulement "
        "Hugo — ALSH vacances Accueil pendant les vacances seulement "
        "Lundi 30 novembre Délai dépassé depuis le samedi 28 à 10h"
    ) in week
    assert "Mercredi 2 décembre Pas d'accueil le mercredi" in week
    assert "Annuler Léa — Restauration scolaire — vendredi 4 décembre" in week
    assert 'href="?semaine=2026-12-07"' in response.content.decode()
    assert 'href="?semaine=2026-11-23"' in response.content.decode()


def test_the_month_totals_the_days_booked(page, enrolled, meal, parent):
    lea = enrolled[0]
    book(items=[(lea, meal, d) for d in (THURSDAY, FRIDAY, date(2026, 12, 7))], by=parent)
    words = text(page.get(URL, {"mois": "2026-12"}))
    assert "Total du mois de décembre 2026" in words
    assert "Léa Restauration scolaire 3" in words
    assert "€" not in words  # no tariffs yet: no price is shown


def test_an_unreadable_month_says_so_and_shows_the_current_one(page):
    response = page.get(URL, {"mois": "2026-13"})
    assert response.status_code == 200
    words = text(response)
    assert "Mois illisible « 2026-13 » (AAAA-MM)." in words
    # This week's month: Monday 30 November's week is mostly in December.
    assert "Décembre 2026" in words
    assert "Semaine illisible" in text(page.get(URL, {"semaine": "demain"}))


def test_the_tab_is_lit_on_every_reservation_page(page):
    for url in (URL, f"{URL}semaine-type/", f"{URL}inscriptions/", f"{URL}absences/"):
        content = page.get(url).content.decode()
        assert 'href="/reservations/" aria-current="page"' in content, url


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith("/connexion/")


def test_staff_without_a_family_get_the_no_family_page(agent_client):
    assert agent_client.get(URL).status_code == 403


def test_a_put_is_refused(page):
    assert page.put(URL).status_code == 405


def make_family(n_children, *, activities, school_year, school):
    from accounts.models import Family

    family = Family.objects.create(name=f"F{n_children}", city="Valmont")
    kids = [
        Child.objects.create(
            family=family,
            first_name=f"Enfant{n}",
            last_name="F",
            birth_date=date(2017, 1, 1),
            school=school,
        )
        for n in range(n_children)
    ]
    enrol(kids, *activities, year=school_year)
    return family, kids


def test_the_month_costs_the_same_queries_for_one_or_three_children(
    client,
    time_machine,
    canteen,
    meal,
    alsh,
    alsh_day,
    school_year,
    school,
    agent,
    django_assert_max_num_queries,
):
    from tests.conftest import make_parent

    time_machine.move_to(MONDAY_8H, tick=False)
    for n_children in (1, 3):
        family, kids = make_family(
            n_children, activities=[canteen, alsh], school_year=school_year, school=school
        )
        fill(alsh_day, CHRISTMAS_MONDAY, by=agent, school_year=school_year, places=5)
        days = [date(2026, 12, d) for d in (3, 4, 7, 8, 10, 11, 14, 15, 17, 18)]
        book(items=[(k, meal, d) for k in kids for d in days], by=agent)
        book(items=[(k, alsh_day, date(2026, 12, d)) for k in kids for d in (21, 22)], by=agent)
        client.force_login(make_parent(family, f"parent{n_children}"))
        client.get(URL)  # the session's first request writes its activity stamp
        # session, user, children (with their family), the digest of the shared tables
        # (activities, units, rules, years, closures), enrolments, bookings, waiting ranks,
        # places taken, unread messages, and billing's prices of the bookings already
        # loaded (the tariffs' digest, PAI flags): 11, whatever the family.
        with django_assert_max_num_queries(11):
            response = client.get(URL, {"mois": "2026-12"})
        assert "Liste d'attente (" in text(response)
        assert text(response).count("Réservé") >= 10 * n_children


def test_a_change_to_the_shared_tables_costs_four_queries_more_whatever_the_family(
    client,
    time_machine,
    canteen,
    meal,
    alsh,
    alsh_day,
    school_year,
    school,
    agent,
    django_assert_max_num_queries,
):
    from tests.conftest import make_parent

    time_machine.move_to(MONDAY_8H, tick=False)
    for n_children in (1, 3):
        family, kids = make_family(
            n_children, activities=[canteen, alsh], school_year=school_year, school=school
        )
        days = [date(2026, 12, d) for d in (3, 4, 7, 8, 10, 11, 14, 15, 17, 18)]
        book(items=[(k, meal, d) for k in kids for d in days], by=agent)
        client.force_login(make_parent(family, f"parent{n_children}"))
        client.get(URL)
        Closure.objects.create(
            activity=canteen,
            start=date(2026, 12, 21 + n_children),
            end=date(2026, 12, 21 + n_children),
            reason=f"N{n_children}",
        )
        # The 11 above, and what the new digest makes read again: units (with their
        # activities and rules), school years, closures, schools.
        with django_assert_max_num_queries(15):
            response = client.get(URL, {"mois": "2026-12"})
        assert f"Fermé : n{n_children}" in text(response)


@pytest.mark.parametrize(
    ("query", "first", "monday"),
    [
        ({}, date(2026, 12, 1), date(2026, 11, 30)),  # Saturday 28: next week, December
        ({"mois": "2027-01"}, date(2027, 1, 1), date(2026, 12, 28)),  # 1 January: a Friday
        ({"mois": "2026-11"}, date(2026, 11, 1), date(2026, 11, 30)),  # week-end: next week
        ({"semaine": "2027-03-03"}, date(2027, 3, 1), date(2027, 3, 1)),
        ({"mois": "2027-01", "semaine": "2027-01-13"}, date(2027, 1, 1), date(2027, 1, 11)),
    ],
)
def test_the_period_shown_for_a_query(query, first, monday):
    period = Period.from_query(**query, today=date(2026, 11, 28))
    assert (period.first, period.monday) == (first, monday)


@pytest.mark.parametrize("query", [{"mois": "1999-12"}, {"semaine": "2101-01-04"}])
def test_a_date_far_outside_the_calendar_is_refused(query):
    with pytest.raises(ValueError, match="hors du calendrier"):
        Period.from_query(**query, today=date(2026, 11, 28))
