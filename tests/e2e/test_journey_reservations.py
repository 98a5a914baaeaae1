"""A parent books next week's meals for both children in one submit, then tries to cancel
a day whose deadline has just passed and reads why not — on a phone and on a desktop."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from reservations.models import (
    Activity,
    Booking,
    DeadlineRule,
    Enrolment,
    EnrolmentStatus,
    Pattern,
    RuleKind,
    SchoolYear,
    Status,
    Unit,
)
from tests.conftest import PASSWORD
from tests.e2e.a11y import assert_accessible
from tests.e2e.test_journey_foundation import log_in

PARIS = ZoneInfo("Europe/Paris")
# Saturday 28 November 2026: next week's Monday closes at 10:00 (J-2 10h).
SATURDAY_9H50 = datetime(2026, 11, 28, 9, 50, tzinfo=PARIS)
SATURDAY_10H01 = datetime(2026, 11, 28, 10, 1, tzinfo=PARIS)
NEXT_WEEK = ["lundi 30 novembre", "mardi 1er décembre", "jeudi 3 décembre", "vendredi 4 décembre"]


def canteen_for(family) -> Unit:
    year = SchoolYear.objects.create(
        name="2026-2027", start=date(2026, 9, 1), end=date(2027, 8, 31)
    )
    rule = DeadlineRule.objects.create(
        name="J-2 avant 10h", kind=RuleKind.DAYS_BEFORE, days=2, time=time(10, 0)
    )
    canteen = Activity.objects.create(
        name="Restauration scolaire",
        pattern=Pattern.SCHOOL_DAYS,
        booking_rule=rule,
        cancel_rule=rule,
    )
    for child in family.children.all():
        Enrolment.objects.create(
            child=child, activity=canteen, school_year=year, status=EnrolmentStatus.VALIDATED
        )
    return Unit.objects.create(activity=canteen, name="Repas", includes_meal=True)


def open_reservations(page: Page, viewport: str) -> None:
    nav = page.get_by_role("navigation", name="Navigation principale")
    if viewport == "phone":
        nav.get_by_role("button", name="Ouvrir le menu").click()
    nav.get_by_role("link", name="Réservations").click()
    expect(page.get_by_role("heading", name="Réservations", exact=True)).to_be_visible()


def test_a_parent_books_next_week_then_reads_why_a_day_cannot_be_cancelled(
    page: Page, viewport: str, parent, family, time_machine
):
    time_machine.move_to(SATURDAY_9H50, tick=False)
    meal = canteen_for(family)
    log_in(page, "claire", PASSWORD)
    open_reservations(page, viewport)
    # On a phone the page lists a week (next week, on a Saturday); on a desktop, the month.
    view = page.locator(".week-view" if viewport == "phone" else ".month-view")
    expect(view.get_by_text("Pas d'accueil le mercredi").first).to_be_visible()
    assert_accessible(page)

    for child in ("Léa", "Hugo"):
        for day in NEXT_WEEK:
            view.get_by_label(f"Réserver {child} — Restauration scolaire — {day}").check()
    page.get_by_role("button", name="Enregistrer mes choix").click()

    expect(page.get_by_text("C'est fait : 8 demande(s) enregistrée(s).")).to_be_visible()
    results = page.get_by_role("region", name="Résultat de votre demande")
    expect(results.get_by_text("Fait (8)")).to_be_visible()
    expect(
        results.get_by_text("Lundi 30 novembre 2026 — Hugo — Restauration scolaire : Réservé")
    ).to_be_visible()
    assert Booking.objects.filter(status=Status.BOOKED, unit=meal).count() == 8
    assert_accessible(page)

    # The page was open before 10:00; the parent ticks Monday's cancel box, and sends it
    # a minute after the deadline.
    view = page.locator(".week-view" if viewport == "phone" else ".month-view")
    view.get_by_label("Annuler Léa — Restauration scolaire — lundi 30 novembre").check()
    time_machine.move_to(SATURDAY_10H01, tick=False)
    page.get_by_role("button", name="Enregistrer mes choix").click()

    expect(page.get_by_text("0 fait(s), 1 refusé(s)")).to_be_visible()
    results = page.get_by_role("region", name="Résultat de votre demande")
    expect(
        results.get_by_text(
            re.compile(
                r"Lundi 30 novembre 2026 — Léa — Restauration scolaire\s*: "
                r"Délai dépassé depuis le samedi 28 novembre à 10h"
            )
        )
    ).to_be_visible()
    # The day now says why, in words, and offers no box to tick.
    view = page.locator(".week-view" if viewport == "phone" else ".month-view")
    expect(view.get_by_text("Délai dépassé depuis le samedi 28 à 10h").first).to_be_visible()
    expect(
        view.get_by_label("Annuler Léa — Restauration scolaire — lundi 30 novembre")
    ).to_have_count(0)
    assert Booking.objects.get(child__first_name="Léa", day=date(2026, 11, 30)).status == (
        Status.BOOKED
    )
    assert_accessible(page)
