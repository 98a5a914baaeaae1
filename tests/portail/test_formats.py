"""The French wording every page, PDF and message shares (portail.lib.formats), to the byte:
no-break spaces, the decimal comma, « 1er », « 10h »."""

from datetime import date, time
from decimal import Decimal as D

import pytest
from django.template import Context, Template

from portail.lib.formats import (
    clock,
    day_label,
    day_list,
    day_number,
    de,
    euros,
    long_date,
    month_label,
    weekday_name,
)


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (D("12.5"), "12,50\u00a0€"),
        (D("0"), "0,00\u00a0€"),
        (D("1234.5"), "1\u00a0234,50\u00a0€"),
        (D("1234567.891"), "1\u00a0234\u00a0567,89\u00a0€"),
        (D("-12.5"), "-12,50\u00a0€"),
        (D("-1500"), "-1\u00a0500,00\u00a0€"),
        (D("2.345"), "2,35\u00a0€"),  # half up, not to even
        (D("2.355"), "2,36\u00a0€"),
        (D("-0.001"), "0,00\u00a0€"),  # never « -0,00 € »
        (7, "7,00\u00a0€"),
    ],
)
def test_euros_are_written_as_on_an_invoice(amount, text):
    assert euros(amount) == text


def test_an_amount_never_holds_a_breaking_space():
    assert " " not in euros(D("9876543.21"))
    assert "\u202f" not in euros(D("9876543.21"))


def test_the_first_of_a_month_is_1er_and_only_it():
    assert day_number(date(2026, 12, 1)) == "1er"
    assert day_number(date(2026, 12, 2)) == "2"
    assert day_number(date(2026, 12, 31)) == "31"
    assert day_number(date(2026, 12, 11)) == "11"


def test_long_dates_and_months():
    assert long_date(date(2026, 12, 1)) == "1er décembre 2026"
    assert long_date(date(2026, 2, 3)) == "3 février 2026"
    assert long_date(date(2027, 8, 15)) == "15 août 2027"
    assert month_label(date(2026, 11, 1)) == "Novembre 2026"
    assert month_label(date(2027, 8, 1)) == "Août 2027"
    assert month_label(date(2027, 2, 1)) == "Février 2027"


def test_day_labels_with_and_without_weekday_and_year():
    assert day_label(date(2026, 12, 1)) == "mardi 1er décembre"
    assert day_label(date(2026, 12, 1), year=True) == "mardi 1er décembre 2026"
    assert day_label(date(2026, 12, 1), weekday=False) == "1er décembre"
    assert day_label(date(2026, 12, 6), weekday=False, year=True) == "6 décembre 2026"
    assert day_label(date(2026, 12, 7)) == "lundi 7 décembre"


def test_weekday_names_from_monday():
    assert [weekday_name(i) for i in range(7)] == [
        "lundi",
        "mardi",
        "mercredi",
        "jeudi",
        "vendredi",
        "samedi",
        "dimanche",
    ]


def test_hours_are_written_10h_without_a_space():
    assert clock(time(10)) == "10h"
    assert clock(time(10, 5)) == "10h05"
    assert clock(time(7, 30)) == "7h30"
    assert clock(time(0)) == "0h"
    assert clock(time(23, 59)) == "23h59"


def test_day_list_is_sorted_day_numbers():
    days = [date(2026, 11, 6), date(2026, 11, 2), date(2026, 11, 3)]
    assert day_list(days) == "2, 3, 6"
    assert day_list([]) == ""


@pytest.mark.parametrize(
    ("word", "text"),
    [
        ("novembre 2026", "de novembre 2026"),
        ("avril 2027", "d'avril 2027"),
        ("août 2027", "d'août 2027"),
        ("octobre", "d'octobre"),
        ("Hélène", "d'Hélène"),
        ("Léa", "de Léa"),
        ("hiver", "d'hiver"),
    ],
)
def test_de_is_elided_before_a_vowel(word, text):
    assert de(word) == text


@pytest.mark.parametrize("library", ["billing_format", "reservations_tags"])
def test_pages_write_amounts_as_invoices_do(library):
    page = Template(f"{{% load {library} %}}[{{{{ amount|euros }}}}][{{{{ none|euros }}}}]")
    rendered = page.render(Context({"amount": D("1234.5"), "none": None}))
    assert rendered == "[1\u00a0234,50\u00a0€][]"
