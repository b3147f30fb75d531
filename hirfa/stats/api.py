"""The open data as JSON, without login: /api/v1/open-data/…. Every figure is protected
(`disclosure`, docs/decisions/0048); a query finer than the data allows gets suppressed
cells, never a count of a few people."""

from ninja import Router, Schema
from ninja.errors import HttpError

from hirfa.core.api_errors import ErrorOut
from hirfa.stats import metadata, open_data

router = Router(tags=["open data"])
ERRORS = {400: ErrorOut, 404: ErrorOut}


class CellOut(Schema):
    area_code: str
    area_name: str
    column_code: str
    column_name: str
    artisans: int | None
    suppressed: bool


class TableOut(Schema):
    key: str
    title: str
    rows: list[CellOut]


class FileOut(Schema):
    key: str
    title: str
    csv: str
    metadata: str


class CoverageOut(Schema):
    code: str
    name: str
    registered: int | None
    rights_open: int | None
    rate: float | None


def _out(published) -> dict:
    return {
        "key": published.query.key,
        "title": metadata.title_of(published.query),
        "rows": [
            {
                "area_code": area,
                "area_name": str(area_name),
                "column_code": code,
                "column_name": str(name),
                "artisans": value,
                "suppressed": value is None,
            }
            for area, area_name, code, name, value in published.long_rows()
        ],
    }


@router.get("/tables", response=list[FileOut], auth=None)
def tables(request):
    """The published tables, with their CSV and CSVW metadata."""
    return [
        {
            "key": q.key,
            "title": metadata.title_of(q),
            "csv": f"/open-data/{q.key}.csv",
            "metadata": f"/open-data/{q.key}.csv-metadata.json",
        }
        for q in open_data.PUBLISHED
    ]


@router.get("/tables/{key}", response={200: TableOut, **ERRORS}, auth=None)
def published_table(request, key: str):
    query = next((q for q in open_data.PUBLISHED if q.key == key), None)
    if query is None:
        raise HttpError(404, "Not found")
    return _out(open_data.table(query))


@router.get("/registrations", response={200: TableOut, **ERRORS}, auth=None)
def registrations(request):
    """Live registrations by `rows` (region, province) × `columns` (branch, category, sex,
    month), optionally within a region, province, commune or activity and months `from`–`to`
    (YYYY-MM)."""
    return _out(open_data.table(open_data.clean(request.GET)))


@router.get("/coverage", response={200: list[CoverageOut], **ERRORS}, auth=None)
def coverage(request, level: str = "region"):
    """AMO coverage per region or province: registered artisans, rights open, the rate."""
    if level not in open_data.ROWS:
        raise HttpError(400, "level: region or province")
    return open_data.coverage(level)
