"""CSV and XLSX files that no spreadsheet will run, and a Table written as either.

A spreadsheet runs a cell that starts with "=", "+", "-", "@" (=HYPERLINK(…) sends data
away, =cmd|… runs a program): every file hirfa writes keeps such a text as text
(docs/decisions/0032). `safe_cell` and `xlsx_cells` moved here from the imports' exports
(which re-export them) so that any app can write a file without importing the imports.
openpyxl is imported by the functions that write a workbook, not at start-up (ADR 0090).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal

from hirfa.core.tables import Table

# A spreadsheet runs a cell that starts with one of these: written as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# …except a plain signed number (an E.164 phone): nothing to run, and kept as it is.
_PLAIN_NUMBER = re.compile(r"[+-][0-9]+", re.ASCII)


def safe_cell(value):
    """`value` as a CSV cell no spreadsheet will run: a formula-like text gets a leading
    apostrophe, which spreadsheets read as "this is text"."""
    formula = isinstance(value, str) and value.startswith(_FORMULA_STARTS)
    return "'" + value if formula and not _PLAIN_NUMBER.fullmatch(value) else value


def xlsx_cells(sheet, values) -> list:
    """`values` as cells of a write-only `sheet`: text is stored as text, never as a
    formula (openpyxl makes a formula of any text that starts with "=")."""
    cells = []
    for value in values:
        if isinstance(value, str) and value.startswith("="):
            from openpyxl.cell import WriteOnlyCell  # only for such a text (ADR 0090)

            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def _plain(value):
    """A cell as a file holds it: numbers, dates and text; anything else as its text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float | Decimal | date | datetime | str):
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.replace(tzinfo=None)  # spreadsheets know no time zones
        return value
    return str(value)


def table_csv(table: Table) -> bytes:
    """The Table as a UTF-8 CSV file (with a byte-order mark, so that spreadsheet programs
    read UTF-8): a header line of the column labels, then one line per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(str(column.label)) for column in table.columns])
    for cells in table.cells():
        writer.writerow([safe_cell(_plain(value)) for value in cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    """The Table as an XLSX workbook of one sheet, named after the Table's key."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.key[:31] or "table")
    sheet.append(xlsx_cells(sheet, [str(column.label) for column in table.columns]))
    for cells in table.cells():
        sheet.append(xlsx_cells(sheet, [_plain(value) for value in cells]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
