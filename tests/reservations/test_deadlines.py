"""Deadline rules in Paris time: DST weeks of 2027, jours fériés inside working-day
counts, previous-week and before-holidays rules, and the French wording."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.utils import timezone

from reservations.deadlines import (
    PARIS,
    Rule,
    RuleKind,
    deadline,
    describe,
    is_open,
    opens_message,
    passed_message,
)

J1_10H = Rule(RuleKind.DAYS_BEFORE, days=1, time=time(10))
J2_10H = Rule(RuleKind.DAYS_BEFORE, days=2, time=time(10))
J2_10H_OUVRES = Rule(RuleKind.DAYS_BEFORE, days=2, time=time(10), working_days=True)
THURSDAY_NOON = Rule(RuleKind.PREVIOUS_WEEK, time=time(12), weekday=3)
FIFTEEN_DAYS_BEFORE_HOLIDAYS = Rule(RuleKind.BEFORE_PERIOD, days=15)


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def offset_hours(moment: datetime) -> float:
    return moment.utcoffset() / timedelta(hours=1)


# --- Daylight saving time: Sunday 28 March and Sunday 31 October 2027 -----------------


def test_j1_10h_for_the_monday_after_the_spring_change_is_sunday_10h_summer_time():
    limit = deadline(J1_10H, date(2027, 3, 29))
    assert limit == paris(2027, 3, 28, 10)
    assert offset_hours(limit) == 2
    assert limit.astimezone(UTC) == datetime(2027, 3, 28, 8, tzinfo=UTC)
    assert offset_hours(deadline(J1_10H, date(2027, 3, 28))) == 1  # Saturday, winter time


def test_a_deadline_at_0230_on_the_spring_change_day_is_0330_summer_time():
    limit = deadline(Rule(RuleKind.DAYS_BEFORE, days=1, time=time(2, 30)), date(2027, 3, 29))
    assert (limit.hour, limit.minute, offset_hours(limit)) == (3, 30, 2)
    assert limit.astimezone(UTC) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)


def test_a_deadline_at_0230_on_the_autumn_change_day_is_the_first_0230():
    limit = deadline(Rule(RuleKind.DAYS_BEFORE, days=1, time=time(2, 30)), date(2027, 11, 1))
    assert (limit.hour, limit.minute, offset_hours(limit)) == (2, 30, 2)
    assert limit.astimezone(UTC) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_j1_10h_around_the_autumn_change():
    assert deadline(J1_10H, date(2027, 10, 31)) == paris(2027, 10, 30, 10)
    assert offset_hours(deadline(J1_10H, date(2027, 10, 31))) == 2
    assert deadline(J1_10H, date(2027, 11, 1)).astimezone(UTC) == datetime(
        2027, 10, 31, 9, tzinfo=UTC
    )


def test_is_open_until_the_very_deadline_whatever_the_timezone_of_now():
    day = date(2027, 3, 29)
    assert is_open(J1_10H, day, datetime(2027, 3, 28, 7, 59, 59, tzinfo=UTC))
    assert not is_open(J1_10H, day, datetime(2027, 3, 28, 8, 0, tzinfo=UTC))
    assert is_open(J1_10H, day, paris(2027, 3, 28, 9, 59))
    assert not is_open(J1_10H, day, paris(2027, 3, 28, 10, 0))


def test_in_the_repeated_autumn_hour_the_second_0215_is_after_a_0230_deadline():
    rule = Rule(RuleKind.DAYS_BEFORE, days=1, time=time(2, 30))
    day = date(2027, 11, 1)
    assert is_open(rule, day, paris(2027, 10, 31, 2, 15))  # 00:15 UTC
    assert not is_open(rule, day, paris(2027, 10, 31, 2, 15).replace(fold=1))  # 01:15 UTC


def test_is_open_follows_the_frozen_clock(time_machine):
    day = date(2027, 3, 29)
    time_machine.move_to("2027-03-28 09:59:00+02:00", tick=False)
    assert is_open(J1_10H, day, timezone.now())
    time_machine.move_to("2027-03-28 10:00:00+02:00", tick=False)
    assert not is_open(J1_10H, day, timezone.now())


def test_is_open_refuses_a_naive_datetime():
    with pytest.raises(ValueError, match="fuseau"):
        is_open(J1_10H, date(2027, 3, 29), datetime(2027, 3, 28, 9))


# --- Calendar days and working days -----------------------------------------------------


def test_calendar_days_count_weekends_and_jours_feries():
    assert deadline(J2_10H, date(2027, 3, 30)) == paris(2027, 3, 28, 10)


def test_working_days_skip_lundi_de_paques_and_the_weekend():
    # Tuesday 30 March 2027: Monday 29 is Lundi de Pâques → Friday 26, Thursday 25.
    assert deadline(J2_10H_OUVRES, date(2027, 3, 30)) == paris(2027, 3, 25, 10)
    assert offset_hours(deadline(J2_10H_OUVRES, date(2027, 3, 30))) == 1


def test_working_days_skip_vendredi_saint_in_alsace_moselle():
    limit = deadline(J2_10H_OUVRES, date(2027, 3, 30), alsace_moselle=True)
    assert limit == paris(2027, 3, 24, 10)


def test_working_days_skip_ascension_for_the_day_after():
    # Friday 7 May 2027: Thursday 6 is Ascension → Wednesday 5, Tuesday 4.
    assert deadline(J2_10H_OUVRES, date(2027, 5, 7)) == paris(2027, 5, 4, 10)
    assert deadline(J2_10H, date(2027, 5, 7)) == paris(2027, 5, 5, 10)


def test_zero_days_is_the_day_itself():
    rule = Rule(RuleKind.DAYS_BEFORE, days=0, time=time(9, 15), working_days=True)
    assert deadline(rule, date(2027, 3, 9)) == paris(2027, 3, 9, 9, 15)


# --- Previous week -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 3, 8), date(2027, 3, 4)),  # Monday
        (date(2027, 3, 14), date(2027, 3, 4)),  # Sunday of the same week
        (date(2027, 3, 1), date(2027, 2, 25)),  # across a month
        (date(2027, 3, 5), date(2027, 2, 25)),
        (date(2027, 1, 4), date(2026, 12, 31)),  # across a year
        (date(2027, 1, 1), date(2026, 12, 24)),  # Friday 1 January: week of 28 December
    ],
)
def test_previous_week_rule_is_thursday_noon_of_the_week_before(day, expected):
    assert deadline(THURSDAY_NOON, day) == datetime.combine(expected, time(12), tzinfo=PARIS)


def test_previous_week_rule_across_the_spring_change():
    # For the week of Monday 29 March 2027, Thursday 25 March is still winter time.
    limit = deadline(THURSDAY_NOON, date(2027, 3, 31))
    assert limit == paris(2027, 3, 25, 12)
    assert offset_hours(limit) == 1


# --- Before the holiday period -------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "zone", "expected"),
    [
        (date(2026, 10, 21), "B", date(2026, 10, 2)),  # Toussaint from Saturday 17 October
        (date(2027, 3, 3), "B", date(2027, 2, 5)),  # hiver B from Saturday 20 February
        (date(2027, 2, 22), "B", date(2027, 2, 5)),
        (date(2027, 2, 22), "A", date(2027, 1, 29)),  # hiver A from Saturday 13 February
        (date(2027, 2, 15), "C", date(2027, 1, 22)),  # hiver C from Saturday 6 February
        (date(2027, 8, 20), "B", date(2027, 6, 18)),  # été from Saturday 3 July
        (date(2027, 1, 2), "B", date(2026, 12, 4)),  # Noël from Saturday 19 December
    ],
)
def test_before_period_counts_from_the_first_day_of_the_holidays(day, zone, expected):
    limit = deadline(FIFTEEN_DAYS_BEFORE_HOLIDAYS, day, zone=zone)
    assert limit == datetime.combine(expected, time(0), tzinfo=PARIS)


def test_before_period_outside_the_holidays_counts_from_the_day_itself():
    assert deadline(FIFTEEN_DAYS_BEFORE_HOLIDAYS, date(2027, 3, 9), zone="B") == paris(2027, 2, 22)


def test_before_period_in_summer_time_keeps_local_midnight():
    limit = deadline(FIFTEEN_DAYS_BEFORE_HOLIDAYS, date(2027, 7, 20))
    assert limit == paris(2027, 6, 18)
    assert offset_hours(limit) == 2


# --- No deadline and bad rules ---------------------------------------------------------------


def test_a_rule_without_deadline_is_always_open():
    rule = Rule(RuleKind.NONE)
    assert deadline(rule, date(2027, 3, 9)) is None
    assert is_open(rule, date(2027, 3, 9), paris(2030, 1, 1))


def test_a_rule_takes_its_kind_as_the_stored_string():
    assert Rule("days_before", days=2, time=time(10)) == J2_10H


@pytest.mark.parametrize(
    "fields",
    [
        {"kind": RuleKind.DAYS_BEFORE, "days": -1},
        {"kind": RuleKind.PREVIOUS_WEEK, "time": time(12)},
        {"kind": RuleKind.PREVIOUS_WEEK, "weekday": 7},
        {"kind": RuleKind.DAYS_BEFORE, "time": time(10, tzinfo=UTC)},
        {"kind": "tomorrow"},
    ],
)
def test_a_rule_that_makes_no_sense_is_refused(fields):
    with pytest.raises(ValueError):
        Rule(**fields)


# --- Wording ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        (Rule(RuleKind.NONE), "Sans délai"),
        (J2_10H, "Au plus tard 2 jours avant, à 10h"),
        (J2_10H_OUVRES, "Au plus tard 2 jours ouvrés avant, à 10h"),
        (
            Rule(RuleKind.DAYS_BEFORE, days=1, time=time(10), working_days=True),
            "Au plus tard 1 jour ouvré avant, à 10h",
        ),
        (J1_10H, "Au plus tard la veille, à 10h"),
        (Rule(RuleKind.DAYS_BEFORE, time=time(8, 30)), "Au plus tard le jour même, à 8h30"),
        (THURSDAY_NOON, "Au plus tard le jeudi de la semaine précédente, à 12h"),
        (
            FIFTEEN_DAYS_BEFORE_HOLIDAYS,
            "Au plus tard 15 jours avant le début des vacances, à 0h",
        ),
        (Rule(RuleKind.BEFORE_PERIOD), "Au plus tard le premier jour des vacances, à 0h"),
    ],
)
def test_describe_says_the_rule_in_french(rule, text):
    assert describe(rule) == text


def test_passed_message_names_the_day_month_and_time_in_paris():
    assert passed_message(paris(2027, 3, 2, 10)) == "Délai dépassé depuis le mardi 2 mars à 10h"
    assert (
        passed_message(paris(2027, 3, 2, 10, 5)) == "Délai dépassé depuis le mardi 2 mars à 10h05"
    )
    assert (
        passed_message(datetime(2027, 3, 2, 23, 30, tzinfo=UTC))
        == "Délai dépassé depuis le mercredi 3 mars à 0h30"
    )
    assert (
        passed_message(deadline(THURSDAY_NOON, date(2027, 1, 4)))
        == "Délai dépassé depuis le jeudi 31 décembre à 12h"
    )
    assert (
        passed_message(deadline(FIFTEEN_DAYS_BEFORE_HOLIDAYS, date(2027, 3, 3)))
        == "Délai dépassé depuis le vendredi 5 février à 0h"
    )


def test_passed_message_in_summer_time_is_in_summer_time():
    assert (
        passed_message(datetime(2027, 3, 28, 8, tzinfo=UTC))
        == "Délai dépassé depuis le dimanche 28 mars à 10h"
    )


def test_opens_message_writes_the_first_of_the_month_as_1er():
    assert (
        opens_message(paris(2027, 3, 1, 7))
        == "Réservations ouvertes à partir du lundi 1er mars à 7h"
    )


def test_messages_refuse_a_naive_datetime():
    with pytest.raises(ValueError, match="fuseau"):
        passed_message(datetime(2027, 3, 2, 10))
