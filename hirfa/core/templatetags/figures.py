"""`{% chart_data table %}` and `table|cell_rows` for `core/figure.html`.

The figure template writes the chart's figures (`core.charts.chart_document`) in a
`<script type="application/json">` element (Django's `json_script`, safe against
`</script>` in labels), never an inline script, so the Content Security Policy holds
(ADR 0037). The contract is in ADR 0049.
"""

from __future__ import annotations

from django import template
from django.utils.html import json_script

from hirfa.core.charts import chart_document
from hirfa.core.tables import Table

register = template.Library()


@register.simple_tag
def chart_data(table: Table):
    return json_script(chart_document(table), f"figure-data-{table.key}")


@register.filter
def cell_rows(table: Table):
    """The rows as lists of (value, numeric) in column order, to align numbers."""
    numeric = [column.numeric for column in table.columns]
    for cells in table.cells():
        yield list(zip(cells, numeric, strict=True))
