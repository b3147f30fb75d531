"""core/figure.html: a Table as a table, with a chart or a map beside it drawn by
hirfa/js/figure.js from a JSON element (ADR 0049); the table always stays."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from hirfa.core.charts import chart_document
from hirfa.core.tables import Column, Table

COLUMNS = (
    Column("code", "Code"),
    Column("name", "Province"),
    Column("count", "Artisans", numeric=True),
    Column("rate", "Rate (%)", numeric=True),
)
ROWS = (
    {"code": "09.581", "name": "Tiznit", "count": 120, "rate": Decimal("12.5")},
    {"code": "09.001", "name": "Agadir-Ida-Ou-Tanane", "count": None, "rate": "<10"},
)


def table(chart="bar", **kwargs):
    options = {"x": "name", "series": ("count",)}
    if chart == "map":
        options = {"x": "code", "series": ("count", "rate"), "map_level": "province"}
    options.update(kwargs)
    return Table(
        key="artisans", title="Artisans", columns=COLUMNS, rows=ROWS, chart=chart, **options
    )


def render(figure, language="fr"):
    with translation.override(language):
        return render_to_string(
            "core/figure.html", {"table": figure}, request=RequestFactory().get("/")
        )


def data_of(html):
    start = html.index('id="figure-data-artisans" type="application/json">') + len(
        'id="figure-data-artisans" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_a_table_without_chart_shows_the_table_alone():
    html = render(table(chart=""))
    assert "<table" in html
    assert "figure-chart" not in html and "<script" not in html


def test_a_bar_table_shows_a_chart_beside_the_table():
    html = render(table())
    assert 'data-chart="bar"' in html and "<table" in html
    assert "/static/hirfa/vendor/echarts/6.1.0/echarts.min.js" in html
    assert 'data-download="png"' in html and 'data-download="svg"' in html


def test_an_empty_table_draws_no_chart():
    html = render(Table(key="empty", title="Empty", columns=COLUMNS, rows=(), x="name"))
    assert "figure-chart" not in html
    assert "<table" in html


def test_the_chart_reads_the_rows_as_numbers_and_a_suppressed_cell_as_nothing():
    data = data_of(render(table(series=("count", "rate"))))
    assert data["categories"] == ["Tiznit", "Agadir-Ida-Ou-Tanane"]
    assert data["series"] == [
        {"key": "count", "label": "Artisans", "values": [120, None]},
        {"key": "rate", "label": "Rate (%)", "values": [12.5, None]},
    ]


def test_without_series_every_numeric_column_is_drawn():
    document = chart_document(table(series=()))
    assert [serie["key"] for serie in document["series"]] == ["count", "rate"]


def test_a_map_names_its_units_by_their_hcp_codes_and_carries_the_osm_attribution():
    html = render(table(chart="map"))
    data = data_of(html)
    assert data["chart"] == "map" and data["map_level"] == "province"
    assert data["categories"] == ["09.581", "09.001"]
    assert data["names"] == ["Tiznit", "Agadir-Ida-Ou-Tanane"]
    assert "/static/hirfa/maps/hcp-shapes.json" in html
    assert "/static/hirfa/vendor/morocco-map/1.3.0/provinces.json" in html
    assert "© OpenStreetMap contributors" in html


def test_a_region_map_loads_the_region_shapes():
    html = render(table(chart="map", map_level="region"))
    assert "/static/hirfa/vendor/morocco-map/1.3.0/regions.json" in html


@pytest.mark.parametrize(("language", "rtl"), [("ar", True), ("fr", False), ("zgh", False)])
def test_the_chart_follows_the_page_language_and_direction(language, rtl):
    data = data_of(render(table(), language))
    assert data["language"] == language and data["rtl"] is rtl


def test_a_label_cannot_close_the_json_element():
    evil = Table(
        key="artisans",
        title="x",
        columns=(Column("name", "</script><script>alert(1)</script>"), Column("n", "n", True)),
        rows=({"name": "</script>", "n": 1},),
        x="name",
    )
    html = render(evil)
    assert "<script>alert(1)" not in html
    assert data_of(html)["categories"] == ["</script>"]


def test_numbers_are_aligned_as_numbers_in_the_table():
    html = render(table(chart=""))
    assert '<td class="num">120</td>' in html


def test_every_file_the_figure_template_loads_is_a_static_file_of_ours():
    source = (Path(__file__).parents[2] / "hirfa/core/templates/core/figure.html").read_text()
    paths = re.findall(r"{% static '([^']+)' %}", source)
    assert len(paths) == 5
    for path in paths:
        assert finders.find(path), path
    assert finders.find("hirfa/js/figure.js")
