"""A table of figures, as pages show it: the table itself and, beside it, a chart or a map.

Domain-free: an app builds a ``Table`` from its selectors and a page shows it with
``{% include "core/figure.html" with table=table %}``; the same object feeds the CSV and
XLSX downloads and the PDF reports, so a figure and its table never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

CHARTS = ("bar", "line", "map", "")  # "" draws no chart: the table alone
MAP_LEVELS = ("region", "province")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # already translated (or lazy) for the page's language
    numeric: bool = False


@dataclass(frozen=True)
class Table:
    key: str  # a slug: element ids and download file names
    title: str
    columns: tuple[Column, ...]
    rows: tuple[dict, ...]
    chart: str = "bar"
    x: str = ""  # the column along the axis, or the one holding territory codes for a map
    series: tuple[str, ...] = ()  # the numeric columns drawn (bar, line) or coloured (map)
    map_level: str = ""  # for a map: "region" or "province"; codes are the register's HCP codes
    as_of: datetime | None = None  # when the figures were true, shown under the table
    note: str = ""  # a line under the table (a source, a suppression mark's meaning)
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.chart not in CHARTS:
            raise ValueError(f"unknown chart {self.chart!r}")
        if self.chart == "map" and self.map_level not in MAP_LEVELS:
            raise ValueError("a map needs map_level 'region' or 'province'")
        keys = {column.key for column in self.columns}
        for name in (self.x, *self.series):
            if name and name not in keys:
                raise ValueError(f"{name!r} is not a column of {self.key!r}")

    def cells(self):
        """The rows as lists of values in column order (for templates and files)."""
        for row in self.rows:
            yield [row.get(column.key) for column in self.columns]
