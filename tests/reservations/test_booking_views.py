"""One submit books and cancels many days for several children, and says what it did."""

import time
from datetime import date, timedelta

import pytest

from children.models import Child
from reservations import calendar
from reservations.models import Booking, Status
from reservations.services import book
from tests.reservations.conftest import enrol
from tests.reservations.pages import (
    CHRISTMAS_MONDAY,
    FRIDAY,
    MONDAY_8H,
    THURSDAY,
    choice,
    freeze,
    text,
)

pytestmark = pytest.mark.django_db
URL = "/reservations/"


@pytest.fixture
def page(parent_client, parent, time_machine, enrolled, meal, alsh_day):
    return freeze(time_machine, parent_client, parent)


def submit(client, *choices, follow=True, **extra):
    return client.post(
        URL,
        {"choix": list(choices), "mois": "2026-12", "semaine": "2026-11-30", **extra},
        follow=follow,
    )


def results(response) -> str:
    return text(response).split("Résultat de votre demande")[1].split("Enregistrer mes choix")[0]


def test_one_submit_books_and_cancels_for_both_children_and_lists_each_day(
    page, enrolled, meal, parent
):
    lea, hugo = enrolled
    book(items=[(lea, meal, date(2026, 12, 7))], by=parent)
    response = submit(
        page,
        choice(lea, meal, THURSDAY),
        choice(hugo, meal, THURSDAY),
        choice(hugo, meal, FRIDAY),
        choice(lea, meal, date(2026, 12, 7), "cancel"),
        choice(lea, meal, date(2026, 12, 1)),  # past its deadline
        follow=False,
    )
    assert response.status_code == 302
    assert response.url == "/reservations/?mois=2026-12&semaine=2026-11-30"
    page_after = page.get(response.url)
    words = results(page_after)
    assert "Refusé (1) Mardi 1er décembre 2026 — Léa — Restauration scolaire : " in words
    assert "Délai dépassé depuis le dimanche 29 novembre à 10h" in words
    assert "Fait (4)" in words
    assert "Jeudi 3 décembre 2026 — Léa — Restauration scolaire : Réservé" in words
    assert "Jeudi 3 décembre 2026 — Hugo — Restauration scolaire : Réservé" in words
    assert "Vendredi 4 décembre 2026 — Hugo — Restauration scolaire : Réservé" in words
    assert "Lundi 7 décembre 2026 — Léa — Restauration scolaire : Annulé" in words
    assert "4 fait(s), 1 refusé(s)" in text(page_after)
    live = set(Booking.objects.filter(status=Status.BOOKED).values_list("child", "day"))
    assert live == {(lea.pk, THURSDAY), (hugo.pk, THURSDAY), (hugo.pk, FRIDAY)}
    # The results are shown once: a reload shows the month alone.
    assert "Résultat de votre demande" not in text(page.get(response.url))


def test_a_full_day_puts_the_child_on_the_waiting_list_with_its_rank(
    page, enrolled, alsh_day, agent, school_year, family
):
    others = [
        Child.objects.create(
            family=family, first_name=f"E{n}", last_name="M", birth_date=date(2016, 1, 1)
        )
        for n in range(5)
    ]
    enrol(others, alsh_day.activity, year=school_year)
    book(items=[(kid, alsh_day, CHRISTMAS_MONDAY) for kid in others], by=agent)
    lea, hugo = enrolled
    words = results(
        submit(
            page, choice(lea, alsh_day, CHRISTMAS_MONDAY), choice(hugo, alsh_day, CHRISTMAS_MONDAY)
        )
    )
    assert "Léa — ALSH vacances : Complet — liste d'attente (1re)" in words
    assert "Hugo — ALSH vacances : Complet — liste d'attente (2e)" in words


def test_leaving_the_waiting_list(page, enrolled, alsh_day, agent, school_year, family):
    lea = enrolled[0]
    Booking.objects.create(
        child=lea,
        activity=alsh_day.activity,
        unit=alsh_day,
        day=CHRISTMAS_MONDAY,
        status=Status.WAITING,
        waiting_since=MONDAY_8H - timedelta(days=1),
    )
    words = results(submit(page, choice(lea, alsh_day, CHRISTMAS_MONDAY, "cancel")))
    assert "Léa — ALSH vacances : Retiré de la liste d'attente" in words
    assert Booking.objects.get().status == Status.CANCELLED


def test_another_familys_child_refuses_the_whole_submit(page, enrolled, meal, other_family):
    ines = other_family.children.get()
    response = submit(page, choice(enrolled[0], meal, THURSDAY), choice(ines, meal, THURSDAY))
    assert response.status_code == 404
    assert not Booking.objects.exists()


def test_a_child_that_does_not_exist_is_a_404_too(page, meal):
    response = submit(page, f"999999:{meal.pk}:2026-12-03:book")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("abc", "Choix illisible « abc » : rien n'a été modifié."),
        ("{lea}:{meal}:2026-02-31:book", "Choix illisible"),
        ("{lea}:{meal}:2026-12-03:steal", "Choix illisible"),
        ("{lea}:999999:2026-12-03:book", "n'existe pas ou n'est plus proposée"),
    ],
)
def test_unreadable_input_changes_nothing_and_says_why(page, enrolled, meal, value, message):
    lea = enrolled[0]
    response = submit(page, choice(lea, meal, FRIDAY), value.format(lea=lea.pk, meal=meal.pk))
    assert response.status_code == 200
    assert message in text(response)
    assert not Booking.objects.exists()


def test_booking_and_cancelling_the_same_day_at_once_is_refused(page, enrolled, meal):
    lea = enrolled[0]
    response = submit(page, choice(lea, meal, FRIDAY), choice(lea, meal, FRIDAY, "cancel"))
    assert "à la fois à réserver et à annuler" in text(response)
    assert not Booking.objects.exists()


def test_an_inactive_activity_cannot_be_booked(page, enrolled, meal):
    meal.activity.active = False
    meal.activity.save()
    response = submit(page, choice(enrolled[0], meal, FRIDAY))
    assert "n'existe pas ou n'est plus proposée" in text(response)
    assert not Booking.objects.exists()


def test_cancelling_a_day_without_booking_says_so(page, enrolled, meal):
    words = results(submit(page, choice(enrolled[0], meal, FRIDAY, "cancel")))
    assert "Refusé (1)" in words
    assert "Aucune réservation à annuler ce jour-là" in words


def test_an_empty_submit_changes_nothing_and_says_so(page):
    assert "Aucun jour coché : rien n'a été modifié." in text(submit(page))


def test_anonymous_post_is_sent_to_login_and_books_nothing(client, enrolled, meal):
    response = client.post(URL, {"choix": [choice(enrolled[0], meal, FRIDAY)]})
    assert response.status_code == 302 and response.url.startswith("/connexion/")
    assert not Booking.objects.exists()


def test_a_closed_day_is_refused_with_its_reason(page, enrolled, meal):
    words = results(submit(page, choice(enrolled[0], meal, date(2026, 12, 22))))
    assert "Mardi 22 décembre 2026 — Léa — Restauration scolaire : Fermé : vacances de Noël" in (
        words
    )


def test_a_whole_term_for_three_children_in_one_submit(
    page, enrolled, meal, family, school_year, settings, capsys
):
    third = Child.objects.create(
        family=family, first_name="Zoé", last_name="MARTIN", birth_date=date(2019, 5, 5)
    )
    enrol([third], meal.activity, year=school_year)
    children = [*enrolled, third]
    days, day = [], date(2027, 1, 4)  # 70 canteen days from January, holidays skipped
    while len(days) < 70:
        if not calendar.closed_reason(day, pattern="school_days", zone=settings.SCHOOL_ZONE):
            days.append(day)
        day += timedelta(days=1)
    values = [choice(child, meal, d) for child in children for d in days]
    started = time.perf_counter()
    response = submit(page, *values, follow=False)
    elapsed = time.perf_counter() - started
    assert response.status_code == 302
    with capsys.disabled():
        print(
            f"\n[bench] one submit of {len(values)} choices "
            f"(3 children × {len(days)} days, {days[0]:%d/%m}–{days[-1]:%d/%m}): "
            f"{elapsed * 1000:.0f} ms"
        )
    assert Booking.objects.filter(status=Status.BOOKED).count() == 210
    assert "Fait (210)" in results(page.get(response.url))
