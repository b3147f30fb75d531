"""A Table as a CSV or XLSX file, with the exports' safe writers (no cell a spreadsheet
would run, docs/decisions/0032)."""

import csv
import io
import tempfile

from hirfa.core.tables import Table
from hirfa.imports.exports import safe_cell, xlsx_cells

FORMATS = ("csv", "xlsx")


def _values(table: Table):
    for cells in table.cells():
        yield ["" if value is None else value for value in cells]


def _header(table: Table) -> list[str]:
    return [str(column.label) for column in table.columns]


def csv_text(table: Table, *, header=None) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header or _header(table))
    for row in _values(table):
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue()


def xlsx_file(table: Table):
    from openpyxl import Workbook  # at use, not at start-up (ADR 0090)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.key[:31])
    sheet.append(_header(table))
    for row in _values(table):
        sheet.append(xlsx_cells(sheet, [safe_cell(v) if isinstance(v, str) else v for v in row]))
    target = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the FileResponse)
    workbook.save(target)
    target.seek(0)
    return target
