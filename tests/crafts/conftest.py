import copy
import csv
import json

import pytest

from hirfa.crafts.models import Activity, Branch, Category, NomenclatureRelease
from hirfa.crafts.services import CSV_COLUMNS, DEFAULT_FILE, load_nomenclature

_SHIPPED = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def no_nomenclature_yet(request):
    """These tests start before any list is loaded; the suite's database holds one.

    Emptied inside the test's transaction, so other tests still find the list.
    """
    request.getfixturevalue("db")
    NomenclatureRelease.objects.all().delete()
    Activity.objects.all().delete()
    Branch.objects.all().delete()
    Category.objects.all().delete()


@pytest.fixture
def shipped_data():
    """The shipped provisional list, as a dict a test may change freely."""
    return copy.deepcopy(_SHIPPED)


@pytest.fixture
def shipped(db):
    """The register with the shipped provisional list loaded."""
    return load_nomenclature()


@pytest.fixture
def write_json(tmp_path):
    def write(data, name="nomenclature.json"):
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_bytes(tmp_path):
    def write(content: bytes, name="nomenclature.txt"):
        path = tmp_path / name
        path.write_bytes(content)
        return path

    return write


def _rows_of(data):
    for category in data["categories"]:
        for branch in category["branches"]:
            for activity in branch["activities"]:
                yield [
                    *(category[k] for k in ("code", "name_ar", "name_fr", "name_zgh")),
                    *(branch[k] for k in ("code", "name_ar", "name_fr", "name_zgh")),
                    *(activity[k] for k in ("code", "name_ar", "name_fr", "name_zgh")),
                ]


@pytest.fixture
def csv_rows():
    """The rows of the flat CSV format for a nomenclature given as a dict."""
    return lambda data: list(_rows_of(data))


@pytest.fixture
def write_csv(tmp_path):
    def write(rows, *, header=CSV_COLUMNS, delimiter=",", name="nomenclature.csv", bom=False):
        path = tmp_path / name
        with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as file:
            writer = csv.writer(file, delimiter=delimiter)
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write


@pytest.fixture
def database_state():
    """Everything the importer may write, to compare before and after an import."""

    def state():
        entries = {
            model.__name__: sorted(
                model.objects.values_list(
                    "code", "name_ar", "name_fr", "name_zgh", "position", "is_active"
                )
            )
            for model in (Category, Branch, Activity)
        }
        entries["parents"] = sorted(
            [
                *Branch.objects.values_list("code", "category__code"),
                *Activity.objects.values_list("code", "branch__code"),
            ]
        )
        entries["releases"] = list(NomenclatureRelease.objects.values_list("id", "checksum"))
        return entries

    return state
