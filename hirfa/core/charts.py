"""What the charts of a Table draw: the series, the labels, the numbers (one contract for
the page's chart, `hirfa/js/figure.js`, and the PDF's bars, `core.tables_pdf`; ADR 0049).

`chart_document(table)` is the JSON that `core/figure.html` writes beside the table (through
`{% chart_data table %}`) and `figure.js` reads.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import formats
from django.utils.translation import get_language, get_language_bidi

from hirfa.core.tables import Table


def number(value) -> int | float | None:
    """A cell as a number to draw, or None (an empty or suppressed cell draws nothing)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        number = float(value)
        return number if number == number and abs(number) != float("inf") else None
    return None


def text(value) -> str:
    """A cell as the label the page would show (dates and numbers in the page's format)."""
    if value is None:
        return ""
    if isinstance(value, datetime | date | int | float | Decimal):
        return str(formats.localize(value, use_l10n=True))
    return str(value)


def drawn_series(table: Table) -> tuple[str, ...]:
    """The columns drawn: `series`, or else every numeric column but `x`."""
    if table.series:
        return table.series
    return tuple(column.key for column in table.columns if column.numeric and column.key != table.x)


def name_column(table: Table) -> str:
    """The column naming each row of a map: `extra["name_column"]`, or else the first
    column that is neither `x` nor numeric, or else `x` itself."""
    keys = {column.key for column in table.columns}
    chosen = table.extra.get("name_column")
    if chosen in keys:
        return chosen
    for column in table.columns:
        if column.key != table.x and not column.numeric:
            return column.key
    return table.x


def chart_document(table: Table) -> dict:
    labels = {column.key: str(column.label) for column in table.columns}
    x = table.x or table.columns[0].key
    names = name_column(table) if table.chart == "map" else x
    return {
        "key": table.key,
        "chart": table.chart,
        "title": str(table.title),
        "language": get_language() or "ar",
        "rtl": get_language_bidi(),
        "x": {"key": x, "label": labels.get(x, "")},
        "categories": [text(row.get(x)) for row in table.rows],
        "names": [text(row.get(names)) for row in table.rows],
        "series": [
            {
                "key": key,
                "label": labels[key],
                "values": [number(row.get(key)) for row in table.rows],
            }
            for key in drawn_series(table)
        ],
        "map_level": table.map_level,
    }
