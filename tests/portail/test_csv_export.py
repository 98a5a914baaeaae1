"""The CSV files for French Excel (portail.lib.csv_export): the exact bytes, and text that
could run as a formula quoted."""

from decimal import Decimal as D

import pytest

from portail.lib.csv_export import amount, csv_response, french_excel_csv, text, yes_no


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://x";"clic")',
        "+33 6 12 34 56 78",
        "-2+3",
        "@SUM(A1:A2)",
        "\tcaché",
        "\rretour",
    ],
)
def test_a_cell_excel_would_run_is_quoted(value):
    assert text(value) == "'" + value


@pytest.mark.parametrize("value", ["Martin", "", "Jean-Pierre", "a=b", "École 2 + 3", "'déjà"])
def test_other_text_is_left_as_is(value):
    assert text(value) == value


def test_amounts_have_a_decimal_comma_and_no_grouping():
    assert amount(D("1234.5")) == "1234,50"
    assert amount(D("-12.5")) == "-12,50"
    assert amount(D("0")) == "0,00"
    assert amount(None) == ""


def test_yes_no():
    assert (yes_no(True), yes_no(False)) == ("Oui", "Non")


def test_the_file_is_utf8_with_a_bom_semicolons_and_crlf():
    content = french_excel_csv(
        [["Nom", "Prénom", "Montant"], [text("=1+1"), "Léa; Zoé", amount(D("2.5"))], []]
    )
    assert content == ('\ufeffNom;Prénom;Montant\r\n\'=1+1;"Léa; Zoé";2,50\r\n\r\n'.encode())
    assert content.startswith(b"\xef\xbb\xbf")


def test_an_empty_export_is_a_lone_bom():
    assert french_excel_csv([]) == b"\xef\xbb\xbf"


def test_the_response_is_a_named_download():
    response = csv_response(b"\xef\xbb\xbfa;b\r\n", filename="factures-2026-11.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="factures-2026-11.csv"'
    assert response.content == b"\xef\xbb\xbfa;b\r\n"
