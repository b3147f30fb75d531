"""Tables of the territory's census figures, for pages to show as a map beside a table."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hirfa.core.tables import Column, Table
from hirfa.territory import selectors

LEVELS = ("province", "region")


def self_employed_table(units, *, level: str) -> Table:
    """The 2024 census's self-employed workers of each of `units` (regions or provinces of
    `level`), as a map Table: codes in `code`, the map coloured by `self_employed`."""
    if level not in LEVELS:
        raise ValueError(f"level is province or region, not {level!r}")
    rows = []
    for unit, workers in selectors.census_workers(units):
        rows.append(
            {
                "code": unit.code,
                "name": unit.name,
                "employed": workers.employed if workers else None,
                "share": workers.self_employed_share if workers else None,
                "self_employed": workers.self_employed if workers else None,
            }
        )
    unit_label = _("Province or prefecture") if level == "province" else _("Region")
    return Table(
        key=f"census-self-employed-{level}",
        title=_("Self-employed workers, 2024 census"),
        columns=(
            Column("code", _("Code")),
            Column("name", unit_label),
            Column("self_employed", _("Self-employed workers"), numeric=True),
            Column("share", _("Share of the employed (%)"), numeric=True),
            Column("employed", _("Employed persons aged 15 and over"), numeric=True),
        ),
        rows=tuple(rows),
        chart="map",
        x="code",
        series=("self_employed", "share"),
        map_level=level,
        note=_(
            "Source: %(source)s. Self-employed workers: the employed persons aged 15 and "
            "over times the share of them who are self-employed, rounded."
        )
        % {"source": "HCP, RGPH 2024"},
        extra={"name_column": "name"},
    )
