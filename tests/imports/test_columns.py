"""Reading legacy columns and values before the register's validation."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hirfa.imports.columns import FileProblem, map_header, row_data


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_french_and_iso_dates_give_the_same_iso_date(day):
    header = ["cnie", "date_naissance"]
    positions = {"cnie": 0, "birth_date": 1}
    for text in (day.strftime("%d/%m/%Y"), day.isoformat(), f"{day.day}/{day.month}/{day.year}"):
        assert row_data(["X", text], positions)["person"]["birth_date"] == day.isoformat(), header


@given(st.text(max_size=30))
def test_any_cell_text_is_passed_on_without_crashing(text):
    positions = {"birth_date": 0, "phone": 1, "sex": 2, "secondary_activities": 3}
    data = row_data([text, text, text, text], positions)
    assert isinstance(data["person"]["birth_date"], str)


def test_headers_are_matched_without_case_accents_or_separators():
    header = [
        "CIN",
        "Nom_AR",
        "Prénom-AR",
        "NOM",
        "prenom",
        "SEXE",
        "Date de naissance",
        "Lieu de naissance",
        "Adresse",
        "Commune",
        "GSM",
        "Niveau scolaire",
        "Catégorie",
        "Activité",
        "Lieu de travail",
    ]
    positions = map_header(header)
    assert positions["first_name_ar"] == 2
    assert positions["phone"] == 10
    assert positions["principal_activity"] == 13


def test_a_header_without_a_required_column_is_refused():
    with pytest.raises(FileProblem, match="birth_date"):
        map_header(["cnie", "nom", "prenom"])


def test_a_phone_whose_leading_zero_a_spreadsheet_dropped_gets_it_back():
    assert row_data(["612345678"], {"phone": 0})["person"]["phone"] == "0612345678"
    assert row_data(["H"], {"sex": 0})["person"]["sex"] == "M"
