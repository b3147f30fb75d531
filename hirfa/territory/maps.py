"""Map shapes of the regions and provinces, and which shape draws which HCP unit.

The shapes are the npm package `morocco-map` 1.3.0 (TopoJSON derived from OpenStreetMap,
ODbL: every map says "© OpenStreetMap contributors"), vendored unchanged under
``static/hirfa/vendor/morocco-map/1.3.0/``. Its ids are ISO 3166-2 codes for the regions
(``MA-01``…``MA-12``, numbered like HCP's regions) and ``MA-`` plus three letters for the 75
provinces and prefectures; the register uses HCP's codes (``09``, ``09.581``).

``data/map_shapes.csv`` is the crosswalk, one line per HCP unit:

- ``region`` and ``province`` lines: one HCP unit, one shape (12 + 75, one to one);
- ``merged`` lines: HCP units the package lists but the register does not load and the
  shapes do not draw: Casablanca's eight prefectures of arrondissements, which are parts
  of the prefecture of Casablanca (06.141, shape ``MA-CAS``).

The browser reads the same crosswalk as ``static/hirfa/maps/hcp-shapes.json``, written from
the CSV by ``python -m hirfa.territory.maps`` (a test checks that the two agree).
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
CROSSWALK_CSV = HERE / "data" / "map_shapes.csv"
STATIC = HERE / "static"
CROSSWALK_STATIC = "hirfa/maps/hcp-shapes.json"
SHAPES_VERSION = "1.3.0"
# The TopoJSON file of each level (static paths) and the object holding its shapes.
SHAPES_STATIC = {
    "region": f"hirfa/vendor/morocco-map/{SHAPES_VERSION}/regions.json",
    "province": f"hirfa/vendor/morocco-map/{SHAPES_VERSION}/provinces.json",
}
SHAPES_OBJECT = {"region": "regions", "province": "provinces"}
LEVELS = ("region", "province")


@cache
def crosswalk_rows() -> tuple[dict[str, str], ...]:
    with CROSSWALK_CSV.open(encoding="utf-8", newline="") as file:
        return tuple(csv.DictReader(file))


def shapes(level: str) -> dict[str, str]:
    """HCP code → shape id, for the units of `level` ("region" or "province")."""
    if level not in LEVELS:
        raise ValueError(f"level is region or province, not {level!r}")
    return {row["hcp_code"]: row["shape_id"] for row in crosswalk_rows() if row["level"] == level}


def merged() -> dict[str, str]:
    """HCP code → shape id of the units drawn as part of a larger shape."""
    return {
        row["hcp_code"]: row["shape_id"] for row in crosswalk_rows() if row["level"] == "merged"
    }


def shape_ids(level: str) -> list[str]:
    """The ids of the shapes in the vendored TopoJSON file of `level`."""
    document = json.loads((STATIC / SHAPES_STATIC[level]).read_text(encoding="utf-8"))
    return [shape["id"] for shape in document["objects"][SHAPES_OBJECT[level]]["geometries"]]


def crosswalk_document() -> dict:
    """What the browser reads: per level, the TopoJSON object and HCP code → shape id."""
    return {
        "source": f"morocco-map {SHAPES_VERSION} (ODbL, © OpenStreetMap contributors)",
        **{level: {"object": SHAPES_OBJECT[level], "shapes": shapes(level)} for level in LEVELS},
    }


def crosswalk_json() -> str:
    return json.dumps(crosswalk_document(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":  # pragma: no cover - run by hand after editing the CSV
    (STATIC / CROSSWALK_STATIC).write_text(crosswalk_json(), encoding="utf-8")
