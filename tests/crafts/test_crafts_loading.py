import copy

import pytest

from hirfa.crafts.models import Activity, Branch, Category, NomenclatureRelease
from hirfa.crafts.selectors import current_release
from hirfa.crafts.services import load_nomenclature, reactivate_entries, retire_entries

pytestmark = pytest.mark.django_db


def _branch(data, code):
    return next(b for c in data["categories"] for b in c["branches"] if b["code"] == code)


def test_the_shipped_list_loads_2_categories_13_branches_and_172_active_activities():
    load_nomenclature()

    assert Category.objects.filter(is_active=True).count() == 2
    assert Branch.objects.filter(is_active=True).count() == 13
    assert Activity.objects.filter(is_active=True).count() == 172


def test_the_shipped_list_is_recorded_as_a_provisional_release_with_its_checksum():
    result = load_nomenclature()

    release = current_release()
    assert release.provisional is True
    assert release.version == result["version"] == "2026-11-provisional-1"
    assert len(release.checksum) == 64
    assert release.summary["activities"]["created"] == 172


def test_activities_keep_the_order_and_the_parents_of_the_file():
    load_nomenclature()

    pottery = Branch.objects.get(code="01")
    assert pottery.category.code == "1"
    assert list(pottery.activities.values_list("code", flat=True)[:3]) == [
        "0101",
        "0102",
        "0103",
    ]
    assert Activity.objects.get(code="1001").branch.category.code == "2"


def test_loading_the_same_file_twice_changes_nothing_and_records_one_release(
    shipped, database_state
):
    before = database_state()

    result = load_nomenclature()

    assert result["changed"] is False
    assert database_state() == before
    assert NomenclatureRelease.objects.count() == 1


def test_a_newer_list_renames_adds_and_retires_activities(shipped, shipped_data, write_json):
    pottery = _branch(shipped_data, "01")
    pottery["activities"][0]["name_fr"] = "Poterie utilitaire émaillée"
    pottery["activities"].append(
        {
            "code": "0199",
            "name_ar": "صناعة الفخار الأسود",
            "name_fr": "Poterie noire",
            "name_zgh": "",
        }
    )
    del pottery["activities"][1]  # 0102
    shipped_data["version"] = "2026-12-provisional-2"

    result = load_nomenclature(write_json(shipped_data))

    assert result["activities"] == {
        "created": 1,
        "updated": 1,
        "reordered": 8,  # the activities after the retired one move up one place
        "reactivated": 0,
        "retired": 1,
        "unchanged": 162,
    }
    assert Activity.objects.get(code="0101").name_fr == "Poterie utilitaire émaillée"
    assert Activity.objects.get(code="0199").branch.code == "01"
    assert Activity.objects.get(code="0102").is_active is False
    assert Activity.objects.filter(is_active=True).count() == 172
    assert current_release().version == "2026-12-provisional-2"
    assert NomenclatureRelease.objects.count() == 2


def test_an_activity_that_comes_back_in_a_later_list_is_reactivated(
    shipped, shipped_data, write_json
):
    without = copy.deepcopy(shipped_data)
    without["version"] = "without-0102"
    pottery = _branch(without, "01")
    pottery["activities"] = [a for a in pottery["activities"] if a["code"] != "0102"]
    load_nomenclature(write_json(without, "without.json"))
    retired = Activity.objects.get(code="0102")

    result = load_nomenclature(write_json({**shipped_data, "version": "with-0102"}, "with.json"))

    assert result["activities"]["reactivated"] == 1
    reactivated = Activity.objects.get(code="0102")
    assert reactivated.is_active is True
    assert reactivated.pk == retired.pk


def test_a_branch_missing_from_a_newer_list_is_retired_with_its_activities(
    shipped, shipped_data, write_json
):
    shipped_data["categories"][1]["branches"].pop()  # 13, food crafts
    shipped_data["version"] = "without-13"

    result = load_nomenclature(write_json(shipped_data))

    assert result["branches"]["retired"] == 1
    assert result["activities"]["retired"] == 14
    assert Branch.objects.get(code="13").is_active is False
    assert not Activity.objects.filter(branch__code="13", is_active=True).exists()
    assert Activity.objects.filter(branch__code="13").count() == 14


def test_an_activity_moved_to_another_branch_keeps_its_identity(shipped, shipped_data, write_json):
    moved = _branch(shipped_data, "01")["activities"].pop(0)
    _branch(shipped_data, "09")["activities"].append(moved)
    shipped_data["version"] = "moved"
    before = Activity.objects.get(code="0101").pk

    load_nomenclature(write_json(shipped_data))

    activity = Activity.objects.get(code="0101")
    assert activity.pk == before
    assert activity.branch.code == "09"


def test_the_official_list_can_be_imported_from_csv(db, shipped_data, csv_rows, write_csv):
    path = write_csv(csv_rows(shipped_data))

    result = load_nomenclature(path, version="official-2027", provisional=False)

    release = current_release()
    assert release.provisional is False
    assert release.version == "official-2027"
    assert release.source == path.name
    assert result["activities"]["created"] == 172
    assert Activity.objects.get(code="0101").name_ar == "صناعة الفخار النفعي"


def test_the_csv_of_the_shipped_list_holds_the_same_nomenclature_as_its_json(
    shipped, shipped_data, csv_rows, write_csv, database_state
):
    before = database_state()

    result = load_nomenclature(write_csv(csv_rows(shipped_data)), version="as-csv")

    assert [result[level]["unchanged"] for level in ("categories", "branches", "activities")] == [
        2,
        13,
        172,
    ]
    assert database_state()["Activity"] == before["Activity"]
    assert current_release().provisional is True


def test_a_csv_saved_by_a_french_spreadsheet_is_read(db, shipped_data, csv_rows, write_csv):
    path = write_csv(csv_rows(shipped_data), delimiter=";", bom=True)

    load_nomenclature(path, version="from-excel")

    assert Activity.objects.filter(is_active=True).count() == 172


def test_the_same_csv_declared_official_later_records_an_official_release(
    db, shipped_data, csv_rows, write_csv
):
    path = write_csv(csv_rows(shipped_data))
    load_nomenclature(path, version="2027")

    result = load_nomenclature(path, version="2027", provisional=False)

    assert result["changed"] is True
    assert current_release().provisional is False
    assert NomenclatureRelease.objects.count() == 2


def test_a_dry_run_reports_the_changes_and_writes_nothing(
    shipped, shipped_data, write_json, database_state
):
    shipped_data["categories"][1]["branches"].pop()
    shipped_data["version"] = "dry"
    before = database_state()

    result = load_nomenclature(write_json(shipped_data), dry_run=True)

    assert result["activities"]["retired"] == 14
    assert database_state() == before


def test_retiring_a_branch_by_hand_retires_its_activities(shipped):
    retire_entries(Branch.objects.filter(code="03"))

    assert Branch.objects.get(code="03").is_active is False
    assert not Activity.objects.filter(branch__code="03", is_active=True).exists()
    assert Activity.objects.filter(branch__code="04", is_active=False).count() == 0


def test_reactivating_an_activity_by_hand_reactivates_its_branch_and_category(shipped):
    retire_entries(Category.objects.filter(code="2"))

    count = reactivate_entries(Activity.objects.filter(code="1001"))

    assert count == 1
    assert Activity.objects.get(code="1001").is_active is True
    assert Branch.objects.get(code="10").is_active is True
    assert Category.objects.get(code="2").is_active is True
    assert Activity.objects.get(code="1002").is_active is False
