"""The open data, without login: the page, the methodology, the CSVs with their CSVW
metadata and the DCAT catalogue. Every figure comes out of `open_data` (protected)."""

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hirfa.core.tables import Column, Table
from hirfa.stats import metadata, open_data, selectors
from hirfa.stats.disclosure import ROUNDING, THRESHOLD

_BY_KEY = {query.key: query for query in open_data.PUBLISHED}


def _query_or_404(key: str):
    try:
        return _BY_KEY[key]
    except KeyError:
        raise Http404 from None


def wide_table(published, title, *, as_of=None) -> Table:
    """A protected cross-table as a page Table: one column per category, then the total."""
    grid = published.protected
    columns = (
        Column("code", _("HCP code")),
        Column("name", _("Region") if published.query.rows == "region" else _("Province")),
        *(Column(f"c{j}", name, numeric=True) for j, (_c, name) in enumerate(published.columns)),
        Column("total", _("Total"), numeric=True),
    )
    rows = []
    for i, (code, name) in enumerate(published.rows):
        row = {"code": code, "name": name, "total": grid.row_totals[i]}
        row |= {f"c{j}": value for j, value in enumerate(grid.cells[i])}
        rows.append(row)
    total = {"code": "", "name": str(_("Total")), "total": grid.total}
    total |= {f"c{j}": value for j, value in enumerate(grid.column_totals)}
    return Table(
        key=published.query.key,
        title=title,
        columns=columns,
        rows=(*rows, total),
        chart="bar",
        x="name",
        series=tuple(f"c{j}" for j in range(len(published.columns))),
        as_of=as_of,
        note=_(
            "— : fewer than 10, or hidden so that such a count cannot be worked out. "
            "Other figures are rounded to 5."
        ),
    )


def coverage_table(level: str, *, as_of=None) -> Table:
    return Table(
        key=f"amo-coverage-{level}",
        title=_("Health coverage (AMO): registered artisans whose rights are open"),
        columns=(
            Column("code", _("HCP code")),
            Column("name", _("Region") if level == "region" else _("Province")),
            Column("registered", _("Registered artisans"), numeric=True),
            Column("rights_open", _("Rights open"), numeric=True),
            Column("rate", _("Coverage rate (%)"), numeric=True),
        ),
        rows=tuple(open_data.coverage(level)),
        chart="map",
        map_level=level,
        x="code",
        series=("rate",),
        as_of=as_of,
    )


def open_data_page(request):
    as_of, _stale = selectors.as_of()
    by_sex = open_data.table(open_data.Query(rows="region", columns="sex"))
    context = {
        "tables": [
            wide_table(by_sex, _("Registered artisans by region and sex"), as_of=as_of),
            coverage_table("region", as_of=as_of),
        ],
        "files": [(q, metadata.title_of(q)) for q in open_data.PUBLISHED],
    }
    return render(request, "statistics/open_data.html", context)


def methodology(request):
    as_of, _stale = selectors.as_of()
    return render(
        request,
        "statistics/methodology.html",
        {
            "threshold": THRESHOLD,
            "rounding": ROUNDING,
            "as_of": as_of,
            "minutes": open_data.CACHE_SECONDS // 60,
        },
    )


def csv_file(request, key):
    published = open_data.table(_query_or_404(key))
    response = HttpResponse(metadata.csv_text(published), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}.csv"'
    response["Link"] = f'<{key}.csv-metadata.json>; rel="describedby"; type="application/csvm+json"'
    return response


def csv_metadata(request, key):
    return JsonResponse(metadata.csvw(_query_or_404(key)), content_type="application/csvm+json")


def catalogue(request):
    return JsonResponse(metadata.catalogue(request), content_type="application/ld+json")
