"""The opening calendar, on the real 2026–2027 data of the holidays and
vacances-scolaires-france packages."""

import time
from datetime import date

import pytest

from reservations.calendar import (
    Closure,
    Pattern,
    closed_reason,
    holiday_period,
    is_working_day,
    opening_days,
    public_holidays,
    school_holiday_name,
)

# --- Jours fériés ---------------------------------------------------------------------


def test_public_holidays_of_2027_have_their_french_names():
    days = public_holidays(2027)
    assert days[date(2027, 3, 29)] == "Lundi de Pâques"
    assert days[date(2027, 5, 6)] == "Ascension"
    assert days[date(2027, 5, 17)] == "Lundi de Pentecôte"
    assert days[date(2027, 11, 11)] == "Armistice"
    assert len(days) == 11
    assert date(2027, 3, 26) not in days
    assert date(2027, 12, 26) not in days


def test_alsace_moselle_adds_vendredi_saint_and_saint_etienne():
    days = public_holidays(2027, alsace_moselle=True)
    assert days[date(2027, 3, 26)] == "Vendredi saint"
    assert days[date(2027, 12, 26)] == "Saint-Étienne"
    assert len(days) == 13


def test_changing_the_returned_dict_does_not_change_the_calendar():
    public_holidays(2027).clear()
    assert public_holidays(2027)[date(2027, 1, 1)] == "Jour de l'an"


def test_working_days_skip_weekends_and_jours_feries():
    assert is_working_day(date(2027, 3, 25))  # Thursday
    assert not is_working_day(date(2027, 3, 27))  # Saturday
    assert not is_working_day(date(2027, 3, 29))  # Lundi de Pâques
    assert is_working_day(date(2027, 3, 26))  # Vendredi saint, elsewhere in France
    assert not is_working_day(date(2027, 3, 26), alsace_moselle=True)
    assert is_working_day(date(2027, 2, 22))  # in zone B's winter holidays: still working


# --- School holidays --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "first", "last"),
    [
        ("A", date(2027, 2, 13), date(2027, 2, 28)),
        ("B", date(2027, 2, 20), date(2027, 3, 7)),
        ("C", date(2027, 2, 6), date(2027, 2, 21)),
    ],
)
def test_each_zone_has_its_own_winter_holidays(zone, first, last):
    assert holiday_period(first, zone) == (first, last, "Vacances d'hiver")
    assert holiday_period(last, zone) == (first, last, "Vacances d'hiver")
    assert school_holiday_name(first, zone) == "Vacances d'hiver"
    assert school_holiday_name(first.replace(day=first.day - 1), zone) is None


def test_monday_1st_march_2027_is_a_holiday_in_zone_b_only():
    day = date(2027, 3, 1)
    assert school_holiday_name(day, "B") == "Vacances d'hiver"
    assert school_holiday_name(day, "A") is None
    assert school_holiday_name(day, "C") is None


def test_weekends_inside_the_holidays_are_in_them():
    # Zone B, winter 2027: Saturday 20 February to Sunday 7 March.
    assert school_holiday_name(date(2027, 2, 20), "B") == "Vacances d'hiver"
    assert school_holiday_name(date(2027, 2, 27), "B") == "Vacances d'hiver"
    assert school_holiday_name(date(2027, 2, 28), "B") == "Vacances d'hiver"
    assert school_holiday_name(date(2027, 3, 8), "B") is None  # classes resume


def test_christmas_holidays_run_across_the_new_year():
    period = (date(2026, 12, 19), date(2027, 1, 3), "Vacances de Noël")
    assert holiday_period(date(2026, 12, 24), "A") == period
    assert holiday_period(date(2027, 1, 2), "A") == period
    assert holiday_period(date(2026, 12, 19), "C") == period
    assert holiday_period(date(2027, 1, 4), "B") is None


def test_summer_toussaint_and_ascension_periods():
    assert holiday_period(date(2026, 8, 15), "B") == (
        date(2026, 7, 4),
        date(2026, 8, 31),
        "Vacances d'été",
    )
    assert holiday_period(date(2027, 7, 14), "C") == (
        date(2027, 7, 3),
        date(2027, 8, 31),
        "Vacances d'été",
    )
    assert holiday_period(date(2026, 10, 21), "B") == (
        date(2026, 10, 17),
        date(2026, 11, 1),
        "Vacances de la Toussaint",
    )
    assert holiday_period(date(2027, 5, 7), "B") == (
        date(2027, 5, 6),
        date(2027, 5, 8),
        "Pont de l'Ascension",
    )


def test_an_unknown_zone_is_refused():
    with pytest.raises(ValueError, match="Zone"):
        school_holiday_name(date(2027, 3, 1), "D")


# --- Why a day is closed ----------------------------------------------------------------


def reason(day, pattern=Pattern.SCHOOL_DAYS, zone="B", **kwargs):
    return closed_reason(day, pattern=pattern, zone=zone, **kwargs)


def test_a_school_day_is_open_for_the_canteen():
    assert reason(date(2027, 3, 9)) is None  # Tuesday


def test_weekend_and_wednesday_reasons():
    assert reason(date(2027, 3, 13)) == "Week-end"
    assert reason(date(2027, 3, 14), Pattern.HOLIDAYS) == "Week-end"
    assert reason(date(2027, 3, 10)) == "Pas d'accueil le mercredi"


def test_jour_ferie_is_named():
    assert reason(date(2027, 3, 29)) == "Fermé : jour férié (Lundi de Pâques)"
    assert reason(date(2027, 5, 6), Pattern.HOLIDAYS) == "Fermé : jour férié (Ascension)"


def test_vendredi_saint_closes_only_in_alsace_moselle():
    assert reason(date(2027, 3, 26)) is None
    assert reason(date(2027, 3, 26), alsace_moselle=True) == "Fermé : jour férié (Vendredi saint)"


def test_school_holidays_close_school_day_activities_with_their_name():
    assert reason(date(2027, 3, 1), zone="B") == "Fermé : vacances d'hiver"
    assert reason(date(2027, 3, 1), zone="A") is None
    assert reason(date(2026, 10, 22)) == "Fermé : vacances de la Toussaint"
    assert reason(date(2026, 12, 28)) == "Fermé : vacances de Noël"
    assert reason(date(2027, 5, 7)) == "Fermé : pont de l'Ascension"


def test_wednesday_activities():
    assert reason(date(2027, 3, 10), Pattern.WEDNESDAYS) is None
    assert reason(date(2027, 3, 11), Pattern.WEDNESDAYS) == "Accueil les mercredis seulement"
    assert reason(date(2027, 3, 3), Pattern.WEDNESDAYS, zone="B") == "Fermé : vacances d'hiver"
    assert reason(date(2027, 3, 3), Pattern.WEDNESDAYS, zone="C") is None


def test_holiday_activities_open_monday_to_friday_inside_the_holidays():
    assert reason(date(2027, 2, 22), Pattern.HOLIDAYS, zone="B") is None
    assert reason(date(2027, 2, 24), Pattern.HOLIDAYS, zone="B") is None  # a Wednesday too
    assert reason(date(2027, 5, 7), Pattern.HOLIDAYS) is None  # Friday of the pont
    assert (
        reason(date(2027, 2, 22), Pattern.HOLIDAYS, zone="C")
        == "Accueil pendant les vacances seulement"
    )
    # Christmas Day falls inside the holidays: the jour férié wins.
    assert reason(date(2026, 12, 25), Pattern.HOLIDAYS) == "Fermé : jour férié (Noël)"


def test_the_pattern_may_be_given_as_its_stored_value():
    assert reason(date(2027, 3, 10), "school_days") == "Pas d'accueil le mercredi"


def test_a_closure_names_its_reason_and_wins_over_the_pattern_and_jours_feries():
    strike = Closure(date(2027, 3, 25), date(2027, 3, 29), "grève")
    assert reason(date(2027, 3, 25), closures=[strike]) == "Fermé : grève"
    assert reason(date(2027, 3, 29), closures=[strike]) == "Fermé : grève"
    assert reason(date(2027, 3, 27), closures=[strike]) == "Week-end"
    assert reason(date(2027, 3, 30), closures=[strike]) is None


def test_a_closure_reason_reads_well_after_ferme():
    day = date(2027, 3, 25)
    assert reason(day, closures=[Closure(day, day, "Grève")]) == "Fermé : grève"
    assert reason(day, closures=[Closure(day, day, "ALSH en sortie")]) == "Fermé : ALSH en sortie"
    assert reason(day, closures=[Closure(day, day, "")]) == "Fermé"


def test_a_closure_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="fermeture"):
        Closure(date(2027, 3, 25), date(2027, 3, 24), "grève")


def test_days_outside_the_school_year_come_first():
    year = {"year_start": date(2026, 9, 1), "year_end": date(2027, 8, 31)}
    assert reason(date(2026, 8, 31), Pattern.HOLIDAYS, **year) == "Hors année scolaire"
    assert reason(date(2027, 9, 4), **year) == "Hors année scolaire"  # a Saturday
    assert reason(date(2026, 9, 1), **year) is None  # rentrée, a Tuesday


# --- A month ------------------------------------------------------------------------------


def test_opening_days_of_march_2027_for_a_zone_b_canteen():
    strike = Closure(date(2027, 3, 18), date(2027, 3, 18), "grève")
    days = opening_days(
        date(2027, 3, 1),
        date(2027, 3, 31),
        pattern=Pattern.SCHOOL_DAYS,
        zone="B",
        closures=iter([strike]),
    )
    assert list(days) == [date(2027, 3, n) for n in range(1, 32)]
    open_days = [day.day for day, why in days.items() if why is None]
    # 1–5: winter holidays; 18: strike; 29: Lundi de Pâques; Wednesdays and weekends.
    assert open_days == [8, 9, 11, 12, 15, 16, 19, 22, 23, 25, 26, 30]
    assert days[date(2027, 3, 1)] == "Fermé : vacances d'hiver"
    assert days[date(2027, 3, 18)] == "Fermé : grève"  # the generator was read for every day
    assert days[date(2027, 3, 29)] == "Fermé : jour férié (Lundi de Pâques)"


def test_opening_days_refuses_a_range_that_ends_before_it_starts():
    with pytest.raises(ValueError, match="période"):
        opening_days(date(2027, 3, 2), date(2027, 3, 1), pattern=Pattern.HOLIDAYS, zone="B")


def test_a_month_for_five_activities_takes_well_under_5_ms():
    activities = [
        {"pattern": Pattern.SCHOOL_DAYS, "zone": "B"},
        {"pattern": Pattern.WEDNESDAYS, "zone": "B"},
        {"pattern": Pattern.HOLIDAYS, "zone": "B"},
        {"pattern": Pattern.SCHOOL_DAYS, "zone": "B", "alsace_moselle": True},
        {
            "pattern": Pattern.HOLIDAYS,
            "zone": "B",
            "closures": [Closure(date(2027, 2, 26), date(2027, 2, 26), "travaux")],
            "year_start": date(2026, 9, 1),
            "year_end": date(2027, 8, 31),
        },
    ]

    def month():
        for activity in activities:
            opening_days(date(2027, 2, 1), date(2027, 2, 28), **activity)

    month()  # warm-up: the packages' data is read here, once
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        month()
        timings.append(time.perf_counter() - started)
    best = min(timings)
    print(f"\nopening_days, one month × 5 activities: best {best * 1000:.3f} ms")
    assert best < 0.005
