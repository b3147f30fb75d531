"""Issue 11, findings 2 and 8: a file that cannot be imported is refused with a clear
message before anything is written: no run left "running", no `import.started` entry,
and a compressed workbook is measured before openpyxl decompresses it."""

import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from hirfa.audit.models import AuditEntry
from hirfa.imports import services
from hirfa.imports.columns import FileProblem
from hirfa.imports.models import ImportRun
from tests.imports.helpers import HEADER, activity_codes, row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def refused(path) -> str:
    """The command's message for `path`; checks that nothing was left behind."""
    with pytest.raises(CommandError) as raised, translation.override("en"):
        call_command("import_artisans", str(path), "--no-progress", "--language", "en")
    assert not ImportRun.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="import.").exists()
    return str(raised.value)


def csv_text(tmp_path, rows=2) -> str:
    codes = activity_codes()
    path = write_csv(tmp_path / "source.csv", [row(i, codes) for i in range(rows)])
    return path.read_text(encoding="utf-8")


def test_a_latin_1_list_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "tiznit.csv"
    path.write_bytes(csv_text(tmp_path).encode("latin-1", errors="replace"))
    assert refused(path) == (
        "The file is not in UTF-8 (line 1). Save it as “CSV UTF-8” and import it again."
    )


def test_a_utf_16_list_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "tiznit.csv"
    path.write_bytes(csv_text(tmp_path).encode("utf-16"))
    assert refused(path) == ("The file is in UTF-16. Save it as “CSV UTF-8” and import it again.")


def test_a_binary_file_named_csv_is_refused(tmp_path):
    path = tmp_path / "tiznit.csv"
    path.write_bytes(bytes(range(256)) * 64)
    assert refused(path) == ("The file is not a text file (line 1). Import a CSV or an XLSX file.")


def test_a_list_with_nul_bytes_is_refused(tmp_path):
    path = tmp_path / "tiznit.csv"
    path.write_bytes(csv_text(tmp_path).encode() + b"\x00\x00\x00\n")
    assert refused(path) == "The file is not a text file (line 4). Import a CSV or an XLSX file."


def test_a_field_over_the_csv_limit_is_refused(tmp_path):
    codes = activity_codes()
    path = write_csv(tmp_path / "tiznit.csv", [row(0, codes), row(1, codes, Adresse="x" * 200_000)])
    assert refused(path) == (
        "Line 3: a cell is longer than 131072 characters, or a quote is not closed."
    )


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "tiznit.xlsx"
    path.write_text("CIN;Nom\nJT1;Ait\n")
    assert refused(path) == "The file is not an XLSX workbook. Import a CSV or an XLSX file."


def test_a_list_without_its_columns_leaves_nothing_behind(tmp_path):
    path = tmp_path / "tiznit.csv"
    path.write_text("a;b\n1;2\n", encoding="utf-8")
    assert refused(path).startswith("Columns missing from the header:")


def _replace_member(path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for member, content in members.items():
            target.writestr(member, content)


@pytest.fixture
def openpyxl_never_opens(monkeypatch):
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl read the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", never)


def test_a_workbook_whose_shared_strings_expand_hugely_is_refused_unread(
    tmp_path, openpyxl_never_opens
):
    path = write_xlsx(tmp_path / "tiznit.xlsx", [row(0, activity_codes())])
    bomb = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    bomb += b"<si><t>" + b"A" * 20_000_000 + b"</t></si></sst>"
    _replace_member(path, "xl/sharedStrings.xml", bomb)
    assert path.stat().st_size < 100_000
    assert refused(path) == (
        "The XLSX file is compressed suspiciously much (xl/sharedStrings.xml). "
        "Save it again or import a CSV file."
    )


def test_a_workbook_too_large_once_uncompressed_is_refused_unread(
    tmp_path, settings, openpyxl_never_opens
):
    import os

    settings.IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    path = write_xlsx(tmp_path / "tiznit.xlsx", [row(0, activity_codes())])
    noise = os.urandom(800_000).hex().encode()  # 1.6 MB that does not compress much
    _replace_member(path, "xl/sharedStrings.xml", b"<sst><si><t>" + noise + b"</t></si></sst>")
    assert refused(path) == (
        "The XLSX file is too large once uncompressed (more than 1 MB). "
        "Split it or import a CSV file."
    )


def test_a_workbook_declaring_every_column_is_read_only_as_wide_as_the_list(tmp_path):
    codes = activity_codes()
    path = write_xlsx(tmp_path / "tiznit.xlsx", [row(i, codes) for i in range(3)])
    with zipfile.ZipFile(path) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b"<sheetData>", b'<dimension ref="A1:XFD1048576"/><sheetData>', 1)
    _replace_member(path, "xl/worksheets/sheet1.xml", sheet)
    from hirfa.imports.columns import read_rows

    rows = list(read_rows(path, "xlsx"))
    assert len(rows) == 4
    assert max(len(r) for r in rows) <= 256


def test_the_service_refuses_before_creating_a_run(tmp_path):
    path = tmp_path / "tiznit.csv"
    path.write_bytes(csv_text(tmp_path).encode("latin-1", errors="replace"))
    with pytest.raises(FileProblem):
        services.import_file(path)
    assert not ImportRun.objects.exists()


def test_a_valid_list_is_still_imported(tmp_path):
    codes = activity_codes()
    run = services.import_file(write_csv(tmp_path / "t.csv", [row(i, codes) for i in range(3)]))
    assert (run.status, run.imported) == ("done", 3)
    assert HEADER[0] == "CIN"


def test_a_workbook_damaged_past_its_header_marks_its_run_failed(tmp_path):
    codes = activity_codes()
    path = write_xlsx(tmp_path / "tiznit.xlsx", [row(i, codes) for i in range(3)])
    with zipfile.ZipFile(path) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(b"<sheetData>", b'<dimension ref="A1:Q4"/><sheetData>', 1)
    cut = sheet.index(b"</row>", sheet.index(b"</row>") + 1)
    _replace_member(path, "xl/worksheets/sheet1.xml", sheet[:cut] + b"<c><broken")
    with pytest.raises(FileProblem, match="damaged after row"):
        services.import_file(path, language="en")
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.FAILED
    assert AuditEntry.objects.filter(action="import.failed").count() == 1
