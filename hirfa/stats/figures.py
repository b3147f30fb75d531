"""The statistics of a territory as `core.tables.Table`s: what the pages show, the CSV and
XLSX downloads carry and the monthly report prints (`month_tables`)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from hirfa.core.tables import Column, Table
from hirfa.stats import census, labels, measures, selectors
from hirfa.stats.filters import Filters, shift

LIVE = ("active", "suspended")
PAGES = ("registrations", "applications", "cards", "amo", "outreach")


def _months(filters: Filters) -> list[date]:
    months, month = [], filters.start
    while month <= filters.end:
        months.append(month)
        month = shift(month, 1)
    return months


def _month_label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _num(key, label) -> Column:
    return Column(key, label, numeric=True)


def _rate(part: int, whole: int | None) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _percentile(histogram: list[tuple[int, int]], share: float) -> int | None:
    """The nearest-rank percentile of a histogram of (days, number)."""
    total = sum(n for _days, n in histogram)
    if not total:
        return None
    rank, seen = share * total, 0
    for days, n in sorted(histogram):
        seen += n
        if seen >= rank:
            return days
    return None


# --- Registrations ---------------------------------------------------------------------


def registrations_by_month(lookup, filters, as_of=None) -> Table:
    rows = selectors.summed(selectors.counts(lookup, measures.PLACE, filters), "month", "sex")
    found = defaultdict(lambda: defaultdict(int))
    for row in rows:
        found[row["month"]][row["sex"]] += row["total"]
    table_rows = []
    for month in _months(filters):
        sexes = found.get(month, {})
        table_rows.append(
            {
                "month": _month_label(month),
                "women": sexes.get("F", 0),
                "men": sexes.get("M", 0),
                "entities": sexes.get("", 0),
                "total": sum(sexes.values()),
            }
        )
    return Table(
        key="registrations-by-month",
        title=_("New registrations, month by month"),
        columns=(
            Column("month", _("Month")),
            _num("women", _("Women")),
            _num("men", _("Men")),
            _num("entities", _("Cooperatives and enterprises")),
            _num("total", _("Total")),
        ),
        rows=tuple(table_rows),
        chart="line",
        x="month",
        series=("women", "men", "total"),
        as_of=as_of,
    )


def registrations_by(lookup, filters, as_of=None, *, live_only: bool = False) -> Table:
    """Registrations of the period by the chosen dimension, split by sex."""
    field = f"{filters.by}_id" if filters.by in labels._MODELS else filters.by
    counted = selectors.counts(lookup, measures.ROLLUPS[filters.by], filters)
    if live_only:
        counted = counted.filter(state__in=LIVE)
    found = defaultdict(lambda: defaultdict(int))
    for row in selectors.summed(counted, field, "sex"):
        found[row[field]][row["sex"]] += row["total"]
    named = labels.names(filters.by, found)
    table_rows = []
    for value, sexes in found.items():
        code, name = named.get(value, ("", str(value)))
        table_rows.append(
            {
                "code": code,
                "name": str(name),
                "women": sexes.get("F", 0),
                "men": sexes.get("M", 0),
                "entities": sexes.get("", 0),
                "total": sum(sexes.values()),
            }
        )
    table_rows.sort(key=lambda r: (r["code"], r["name"]))
    coded = filters.by in labels.CODED
    columns = (
        *((Column("code", _("HCP code")),) if coded else ()),
        Column("name", labels.DIMENSION_LABELS[filters.by]),
        _num("women", _("Women")),
        _num("men", _("Men")),
        _num("entities", _("Cooperatives and enterprises")),
        _num("total", _("Total")),
    )
    return Table(
        key=f"registrations-by-{filters.by.replace('_', '-')}",
        title=_("Registrations of the period by %(dimension)s")
        % {"dimension": str(labels.DIMENSION_LABELS[filters.by]).lower()},
        columns=columns,
        rows=tuple(table_rows),
        chart="bar",
        x="name",
        series=("women", "men", "entities"),
        as_of=as_of,
    )


def against_census(lookup, filters, as_of=None, *, level: str = "province") -> Table:
    """Live registrations of natural persons against the census's self-employed workers."""
    field = f"{level}_id"
    counted = selectors.counts(lookup, measures.PLACE, filters, period=False)
    counted = counted.filter(state__in=LIVE).exclude(sex="")
    found = defaultdict(lambda: defaultdict(int))
    for row in selectors.summed(counted, field, "sex"):
        found[row[field]][row["sex"]] += row["total"]
    places = (
        selectors.regions_in(lookup, filters)
        if level == "region"
        else selectors.provinces_in(lookup, filters)
    )
    table_rows = []
    for place in places:
        sexes = found.get(place.pk, {})
        registered = sum(sexes.values())
        workers = census.self_employed_in(place.code)
        table_rows.append(
            {
                "code": place.code,
                "name": place.name,
                "registered": registered,
                "self_employed": workers,
                "rate": _rate(registered, workers),
                "rate_women": _rate(sexes.get("F", 0), census.self_employed_in(place.code, "F")),
                "rate_men": _rate(sexes.get("M", 0), census.self_employed_in(place.code, "M")),
            }
        )
    return Table(
        key=f"census-{level}",
        title=_("Registered artisans per 100 self-employed workers (2024 census), by %(level)s")
        % {"level": str(labels.DIMENSION_LABELS[level]).lower()},
        columns=(
            Column("code", _("HCP code")),
            Column("name", labels.DIMENSION_LABELS[level]),
            _num("registered", _("Registered artisans")),
            _num("self_employed", _("Self-employed workers (census 2024)")),
            _num("rate", _("Rate (%)")),
            _num("rate_women", _("Rate, women (%)")),
            _num("rate_men", _("Rate, men (%)")),
        ),
        rows=tuple(table_rows),
        chart="map",
        map_level=level,
        x="code",
        series=("rate",),
        as_of=as_of,
        note=_(
            "Sources: the register (active and suspended registrations of persons); HCP, "
            "general census of 2024 (employed × share of self-employed), %(licence)s."
        )
        % {"licence": "CC BY 4.0"},
    )
