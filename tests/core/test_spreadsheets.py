"""A Table written as CSV or XLSX: the same figures as on the page, and no cell that a
spreadsheet would run (docs/decisions/0032)."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from openpyxl import load_workbook

from hirfa.core.spreadsheets import table_csv, table_xlsx
from hirfa.core.tables import Column, Table
from hirfa.imports import exports

TABLE = Table(
    key="per-province",
    title="Artisans",
    columns=(Column("name", "Province"), Column("n", "Artisans", True), Column("d", "Month")),
    rows=(
        {"name": "تيزنيت", "n": 1200, "d": date(2026, 11, 1)},
        {"name": '=HYPERLINK("http://x")', "n": None, "d": None},
        {"name": "Agadir", "n": Decimal("12.5"), "d": date(2026, 12, 1)},
    ),
    x="name",
)


def test_the_csv_has_the_column_labels_then_one_line_per_row_in_utf8():
    text = table_csv(TABLE).decode("utf-8")
    assert text.startswith("\ufeffProvince,Artisans,Month\r\n")
    assert "تيزنيت,1200,2026-11-01\r\n" in text
    assert text.endswith("Agadir,12.5,2026-12-01\r\n")


def test_a_formula_in_a_csv_cell_is_written_as_text():
    assert "'=HYPERLINK" in table_csv(TABLE).decode("utf-8")


def test_an_empty_cell_is_empty_in_the_csv():
    assert ",," in table_csv(TABLE).decode("utf-8").splitlines()[2]


def test_the_xlsx_holds_the_same_figures_with_numbers_as_numbers():
    sheet = load_workbook(BytesIO(table_xlsx(TABLE))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "per-province"
    assert rows[0] == ("Province", "Artisans", "Month")
    assert rows[1][:2] == ("تيزنيت", 1200)
    assert rows[3][1] == 12.5


def test_a_formula_in_an_xlsx_cell_stays_text():
    sheet = load_workbook(BytesIO(table_xlsx(TABLE))).active
    cell = sheet["A3"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_the_imports_still_offer_the_safe_cells():
    assert exports.safe_cell("=1+1") == "'=1+1"
    assert exports.safe_cell("+212612345678") == "+212612345678"
