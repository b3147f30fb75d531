"""My territory shows the 2024 census's self-employed workers of the user's provinces (or
regions) as a map beside a table, and nothing of the provinces outside their scope."""

import pytest

from hirfa.territory import census
from tests.factories import agent_of, national, officer_of

pytestmark = pytest.mark.django_db

WORKSPACE = "/accounts/workspace/"
TIZNIT = "09.581"


def census_table(response):
    return response.context["census"]


def test_the_officer_of_tiznit_sees_the_census_figures_of_tiznit_only(client):
    client.force_login(officer_of(TIZNIT))
    response = client.get(WORKSPACE)
    assert response.status_code == 200
    table = census_table(response)
    assert [row["code"] for row in table.rows] == [TIZNIT]
    assert table.rows[0]["self_employed"] == census.workers_by_code()[TIZNIT].self_employed
    assert table.chart == "map" and table.map_level == "province"


def test_the_page_shows_the_map_beside_its_table(client):
    client.force_login(officer_of(TIZNIT))
    html = client.get(WORKSPACE).content.decode()
    assert 'data-chart="map"' in html
    assert "© OpenStreetMap contributors" in html
    assert 'id="figure-census-self-employed-province"' in html


def test_by_region_a_chamber_sees_its_own_region(client):
    client.force_login(agent_of("09"))
    table = census_table(client.get(WORKSPACE, {"level": "region"}))
    assert [row["code"] for row in table.rows] == ["09"]
    assert table.map_level == "region"


def test_an_unknown_level_shows_the_provinces(client):
    client.force_login(agent_of("09"))
    response = client.get(WORKSPACE, {"level": "commune'--"})
    assert response.status_code == 200
    assert census_table(response).map_level == "province"
    assert len(census_table(response).rows) == 6


def test_the_national_administrator_sees_every_province(client):
    client.force_login(national())
    assert len(census_table(client.get(WORKSPACE)).rows) == 75


@pytest.mark.parametrize(("level", "queries"), [("province", 3), ("region", 4)])
def test_the_page_reads_as_many_queries_for_75_provinces_as_for_one(
    client, django_assert_num_queries, level, queries
):
    client.force_login(national())
    client.get(WORKSPACE)  # the census is read from the package once per process
    # The session, the user, the units (and, by region, the provinces' list).
    with django_assert_num_queries(queries):
        assert client.get(WORKSPACE, {"level": level}).status_code == 200
