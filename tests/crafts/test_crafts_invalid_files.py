"""A damaged or partial list is refused as a whole, and the register stays as it was."""

import json

import pytest

from hirfa.core.errors import DomainError
from hirfa.crafts.services import CSV_COLUMNS, DEFAULT_FILE, load_nomenclature

pytestmark = pytest.mark.django_db


def _activity(data, code):
    return next(
        a
        for c in data["categories"]
        for b in c["branches"]
        for a in b["activities"]
        if a["code"] == code
    )


def _refused(path, database_state, **options) -> DomainError:
    before = database_state()
    with pytest.raises(DomainError) as refusal:
        load_nomenclature(path, **options)
    assert database_state() == before
    return refusal.value


def test_a_truncated_json_file_is_refused(shipped, write_bytes, database_state):
    whole = DEFAULT_FILE.read_bytes()

    _refused(write_bytes(whole[: len(whole) // 2], "cut.json"), database_state)


def test_a_file_of_another_format_is_refused(shipped, shipped_data, write_json, database_state):
    shipped_data["format"] = "hirfa-crafts-nomenclature/2"

    error = _refused(write_json(shipped_data), database_state)

    assert "hirfa-crafts-nomenclature/2" in str(error.message)


def test_a_json_file_without_its_format_tag_is_refused(
    shipped, shipped_data, write_json, database_state
):
    del shipped_data["format"]

    _refused(write_json(shipped_data), database_state)


def test_a_code_used_twice_is_refused_and_named(shipped, shipped_data, write_json, database_state):
    _activity(shipped_data, "0102")["code"] = "0101"

    error = _refused(write_json(shipped_data), database_state)

    assert "0101" in str(error.message)
    assert "categories.0.branches.0.activities.1.code" in error.fields


def test_a_branch_code_equal_to_a_category_code_is_refused(
    shipped, shipped_data, write_json, database_state
):
    shipped_data["categories"][0]["branches"][0]["code"] = "2"

    _refused(write_json(shipped_data), database_state)


def test_latin_letters_in_an_arabic_name_are_refused_and_located(
    shipped, shipped_data, write_json, database_state
):
    _activity(shipped_data, "0105")["name_ar"] = "صناعة tuiles"

    error = _refused(write_json(shipped_data), database_state)

    assert "0105" in str(error.message)
    assert list(error.fields) == ["categories.0.branches.0.activities.4.name_ar"]


def test_latin_letters_in_a_tifinagh_name_are_refused(
    shipped, shipped_data, write_json, database_state
):
    _activity(shipped_data, "0201")["name_zgh"] = "tazzett"

    error = _refused(write_json(shipped_data), database_state)

    assert "0201" in str(error.message)


def test_an_empty_french_name_is_refused(shipped, shipped_data, write_json, database_state):
    _activity(shipped_data, "0301")["name_fr"] = "  "

    _refused(write_json(shipped_data), database_state)


def test_a_malformed_code_is_refused(shipped, shipped_data, write_json, database_state):
    _activity(shipped_data, "0401")["code"] = "04 01"

    _refused(write_json(shipped_data), database_state)


def test_an_activity_without_a_required_key_is_refused(
    shipped, shipped_data, write_json, database_state
):
    del _activity(shipped_data, "0501")["name_fr"]

    error = _refused(write_json(shipped_data), database_state)

    assert "0501" in str(error.message)


def test_a_category_without_its_branches_is_refused(
    shipped, shipped_data, write_json, database_state
):
    del shipped_data["categories"][1]["branches"]

    _refused(write_json(shipped_data), database_state)


def test_an_empty_branch_is_refused(shipped, shipped_data, write_json, database_state):
    shipped_data["categories"][1]["branches"][0]["activities"] = []

    error = _refused(write_json(shipped_data), database_state)

    assert "10" in str(error.message)


def test_every_problem_of_a_file_is_reported_at_once(
    shipped, shipped_data, write_json, database_state
):
    _activity(shipped_data, "0101")["name_ar"] = "Poterie"
    _activity(shipped_data, "1301")["name_zgh"] = "agrum"

    error = _refused(write_json(shipped_data), database_state)

    assert len(error.fields) == 2


@pytest.mark.parametrize("content", [b"", b"  \n\n"], ids=["nothing", "blank lines"])
def test_an_empty_file_is_refused(shipped, write_bytes, database_state, content):
    _refused(write_bytes(content), database_state, version="empty")


def test_a_file_that_is_not_utf8_is_refused(shipped, write_bytes, database_state):
    content = ",".join(CSV_COLUMNS).encode() + "\n1,فن,Art".encode("cp1256")

    _refused(write_bytes(content), database_state, version="cp1256")


def test_a_missing_file_is_refused(shipped, tmp_path, database_state):
    _refused(tmp_path / "absent.csv", database_state, version="absent")


def test_a_csv_missing_a_column_is_refused_and_names_it(
    shipped, shipped_data, csv_rows, write_csv, database_state
):
    rows = [row[:-1] for row in csv_rows(shipped_data)]

    error = _refused(write_csv(rows, header=CSV_COLUMNS[:-1]), database_state, version="short")

    assert "activity_name_zgh" in str(error.message)


def test_a_csv_row_without_its_branch_is_refused_and_located(
    shipped, shipped_data, csv_rows, write_csv, database_state
):
    rows = csv_rows(shipped_data)
    rows[2][4] = ""  # branch_code of the third activity, on line 4

    error = _refused(write_csv(rows), database_state, version="no-branch")

    assert list(error.fields) == ["line.4.branch_code"]


def test_a_csv_row_cut_short_is_refused(shipped, shipped_data, csv_rows, write_csv, database_state):
    rows = csv_rows(shipped_data)
    rows[-1] = rows[-1][:7]

    _refused(write_csv(rows), database_state, version="cut")


def test_a_csv_cut_inside_a_quoted_cell_is_refused(
    shipped, shipped_data, csv_rows, write_csv, write_bytes, database_state
):
    text = write_csv(csv_rows(shipped_data)).read_text(encoding="utf-8")

    _refused(
        write_bytes((text + '2,"unterminated').encode(), "cut.csv"), database_state, version="c"
    )


def test_a_category_described_two_ways_in_a_csv_is_refused(
    shipped, shipped_data, csv_rows, write_csv, database_state
):
    rows = csv_rows(shipped_data)
    rows[5][2] = "Un autre nom"

    error = _refused(write_csv(rows), database_state, version="two-names")

    assert list(error.fields) == ["line.7.category_code"]


def test_a_csv_without_a_version_is_refused(
    shipped, shipped_data, csv_rows, write_csv, database_state
):
    _refused(write_csv(csv_rows(shipped_data)), database_state)


def test_a_csv_with_a_header_only_is_refused(shipped, write_csv, database_state):
    _refused(write_csv([]), database_state, version="header-only")


def test_a_json_document_that_is_not_a_nomenclature_is_refused(
    shipped, write_bytes, database_state
):
    _refused(write_bytes(json.dumps([1, 2, 3]).encode(), "list.json"), database_state)


def test_an_activity_listed_twice_in_a_csv_is_refused_and_located(
    shipped, shipped_data, csv_rows, write_csv, database_state
):
    rows = csv_rows(shipped_data)
    rows.append(list(rows[0]))

    error = _refused(write_csv(rows), database_state, version="twice")

    assert list(error.fields) == [f"line.{len(rows) + 1}.activity_code"]
