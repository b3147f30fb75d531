"""`hirfa import_artisans`: legacy lists become registered artisans, row by row checked."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from hirfa.audit.models import AuditEntry
from hirfa.core.names import name_keys
from hirfa.imports import services
from hirfa.imports.models import ImportedRow, ImportIssue, ImportRun
from hirfa.register.models import Person, Registration
from hirfa.register.numbers import is_valid
from tests.factories import officer_of
from tests.imports.helpers import activity_codes, row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _report(path):
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def test_a_valid_list_becomes_active_registrations_with_national_numbers(tmp_path):
    codes = activity_codes()
    path = write_csv(tmp_path / "tiznit.csv", [row(i, codes) for i in range(5)])
    run = services.import_file(path)
    assert (run.status, run.imported, run.rejected, run.skipped) == ("done", 5, 0, 0)
    registrations = Registration.objects.filter(person__cnie__startswith="JT")
    assert registrations.count() == 5
    for registration in registrations:
        assert is_valid(registration.number)
        assert registration.status == Registration.Status.ACTIVE
        assert registration.province.code == "09.581"
        assert registration.secondary_activities.get().code == codes[1]
    person = Person.objects.get(cnie="JT000003")
    assert person.birth_date == date(1978, 3, 14)
    assert person.phone == "+212600000003"
    assert person.search_keys == name_keys(*(getattr(person, f) for f in Person.NAME_FIELDS))
    assert ImportedRow.objects.get(person=person).legacy_number == "TZ-3"


def test_bad_rows_are_reported_by_row_and_column_in_the_chosen_language(tmp_path):
    codes = activity_codes()
    rows = [
        row(1, codes),
        row(2, codes, CIN="12"),
        row(3, codes, **{"Date de naissance": "31/02/1980", "Activite": "nope"}),
        row(4, codes),
        row(5, codes, Prénom="فاضمة"),
    ]
    path = write_csv(tmp_path / "list.csv", rows)
    report = tmp_path / "report.csv"
    call_command(
        "import_artisans",
        str(path),
        "--language",
        "fr",
        "--report",
        str(report),
        "--no-progress",
        stdout=io.StringIO(),
    )
    lines = _report(report)
    assert lines[0] == ["ligne", "colonne", "type", "message"]
    faults = {(line[0], line[1]) for line in lines[1:]}
    assert faults == {("2", "CIN"), ("3", "Date de naissance"), ("3", "Activite"), ("5", "Prénom")}
    cnie_message = next(line[3] for line in lines if line[1] == "CIN")
    assert "lettres puis 5 à 7 chiffres" in cnie_message
    run = ImportRun.objects.get()
    assert (run.imported, run.rejected) == (2, 3)
    assert set(Person.objects.values_list("cnie", flat=True)) >= {"JT000001", "JT000004"}
    assert not Person.objects.filter(cnie__in=["JT000003", "JT000005"]).exists()


def test_importing_the_same_file_again_changes_nothing(tmp_path):
    path = write_csv(tmp_path / "list.csv", [row(i, activity_codes()) for i in range(3)])
    first = services.import_file(path)
    entries = AuditEntry.objects.count()
    again = services.import_file(path)
    assert again.pk == first.pk
    assert Person.objects.filter(cnie__startswith="JT").count() == 3
    assert AuditEntry.objects.count() == entries


def test_a_second_list_with_known_artisans_skips_them(tmp_path):
    codes = activity_codes()
    services.import_file(write_csv(tmp_path / "a.csv", [row(i, codes) for i in range(3)]))
    run = services.import_file(
        write_csv(tmp_path / "b.csv", [row(i, codes) for i in range(2, 5)] + [row(4, codes)])
    )
    assert (run.imported, run.skipped) == (2, 2)
    assert Person.objects.filter(cnie__startswith="JT").count() == 5
    skipped = ImportIssue.objects.filter(run=run, kind="skipped")
    assert sorted(skipped.values_list("row", flat=True)) == [1, 4]


def test_an_xlsx_list_is_imported_like_a_csv(tmp_path):
    path = write_xlsx(tmp_path / "list.xlsx", [row(i, activity_codes()) for i in range(4)])
    run = services.import_file(path)
    assert (run.file_format, run.imported) == ("xlsx", 4)
    assert Person.objects.get(cnie="JT000002").phone == "+212600000002"


def test_rows_outside_the_importing_officer_territory_are_rejected(tmp_path):
    codes = activity_codes()
    agadir = row(2, codes, Commune="09.001.01.01")
    path = write_csv(tmp_path / "list.csv", [row(1, codes), agadir])
    run = services.import_file(path, actor=officer_of("09.581"))
    assert (run.imported, run.rejected) == (1, 1)
    assert ImportIssue.objects.get(run=run).row == 2


def test_one_audit_entry_per_chunk_records_the_rows_and_numbers(tmp_path):
    path = write_csv(tmp_path / "list.csv", [row(i, activity_codes()) for i in range(5)])
    run = services.import_file(path, chunk_size=2)
    chunks = AuditEntry.objects.filter(action="import.chunk", object_id=str(run.pk)).order_by("id")
    assert [entry.data["rows"] for entry in chunks] == [[1, 2], [3, 4], [5, 5]]
    assert sum(entry.data["imported"] for entry in chunks) == 5


def test_the_command_draws_a_progress_bar_on_stderr(tmp_path):
    path = write_csv(tmp_path / "list.csv", [row(i, activity_codes()) for i in range(3)])
    errors, out = io.StringIO(), io.StringIO()
    call_command("import_artisans", str(path), stdout=out, stderr=errors)
    assert "rows/s" in errors.getvalue()
    assert "3 imported" in out.getvalue()


def test_spreadsheet_dates_and_numbers_are_read_as_the_clerk_typed_them(tmp_path):
    from datetime import datetime

    codes = activity_codes()
    typed = row(1, codes, **{"Date de naissance": datetime(1978, 3, 14), "Téléphone": 612345678})
    run = services.import_file(write_xlsx(tmp_path / "typed.xlsx", [typed]))
    assert run.imported == 1
    person = Person.objects.get(cnie="JT000001")
    assert (person.birth_date, person.phone) == (date(1978, 3, 14), "+212612345678")


def test_an_empty_or_headless_file_is_refused(tmp_path):
    from hirfa.imports.columns import FileProblem

    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(FileProblem):
        services.import_file(empty)
    with pytest.raises(FileProblem):
        services.import_file(tmp_path / "list.ods")
