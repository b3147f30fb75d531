"""`{% chart_data table %}` and `{% table_rows table empty %}` for `core/figure.html`.

The figure template writes the chart's figures (`core.charts.chart_document`) in a
`<script type="application/json">` element (Django's `json_script`, safe against
`</script>` in labels), never an inline script, so the Content Security Policy holds
(ADR 0037). The contract is in ADR 0049.
"""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, json_script
from django.utils.safestring import mark_safe

from hirfa.core.charts import chart_document
from hirfa.core.tables import Table

register = template.Library()


@register.simple_tag
def chart_data(table: Table):
    return json_script(chart_document(table), f"figure-data-{table.key}")


@register.simple_tag
def table_rows(table: Table, empty: str):
    """The table's body rows, written here rather than cell by cell in the template: a
    national table has thousands of cells, and the template engine took most of a
    statistics page's time on them. Each value as `{{ value }}` writes it (localized,
    escaped), "—" for none; `empty` (translated) when there are no rows."""
    numeric = [column.numeric for column in table.columns]
    rows = []
    for cells in table.cells():
        row = "".join(
            ('<td class="num">' if is_numeric else "<td>")
            + ("—" if value is None else str(conditional_escape(localize(value))))
            + "</td>"
            for value, is_numeric in zip(cells, numeric, strict=True)
        )
        rows.append(f"<tr>{row}</tr>")
    if not rows:
        columns = len(table.columns)
        rows.append(f'<tr><td colspan="{columns}">{conditional_escape(empty)}</td></tr>')
    return mark_safe("".join(rows))  # every value escaped above
