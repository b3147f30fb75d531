"""The open data, without login: protected counts, their files, metadata and API."""

import json

import csvw
import pytest

from hirfa.stats import open_data
from tests.factories import agent_of, approved_dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiznit_artisan():
    return approved_dossier(agent=agent_of("09")).registration


def counted(n, *, province="09.581", sex="F"):
    """`n` live registrations counted in a province (straight into the aggregates)."""
    from collections import Counter
    from datetime import date

    from django.utils import timezone

    from hirfa.crafts.models import Activity
    from hirfa.stats import ledger
    from hirfa.stats.measures import SOURCES
    from hirfa.territory.models import Province

    place = Province.objects.get(code=province)
    activity = Activity.objects.order_by("code").first()
    row = {
        "registered_on": timezone.localdate(),
        "province_id": place.pk,
        "province__region_id": place.region_id,
        "workplace_commune_id": 0,
        "principal_activity_id": activity.pk,
        "principal_activity__branch_id": activity.branch_id,
        "category": "artisan_experience",
        "person__sex": sex,
        "person__birth_date": date(1980, 1, 1),
        "status": "active",
    }
    source = SOURCES["registration"]
    ledger._apply(Counter({key: n for key in source.expand(source.keys(row))}))


def test_the_open_data_page_opens_without_login(client):
    response = client.get("/open-data/")
    assert response.status_code == 200
    assert b"CC BY 4.0" in response.content


def test_the_methodology_page_states_the_rule_and_the_licence(client):
    response = client.get("/open-data/methodology/")
    assert response.status_code == 200
    assert b"10" in response.content and b"CC BY 4.0" in response.content


def test_a_single_artisan_is_never_published(client, tiznit_artisan):
    response = client.get("/api/v1/open-data/registrations", {"rows": "province"})
    assert response.status_code == 200
    tiznit = [r for r in response.json()["rows"] if r["area_code"] == "09.581"]
    assert tiznit and all(r["artisans"] in (None, 0) for r in tiznit)
    assert any(r["suppressed"] for r in tiznit)


def test_a_query_for_one_commune_and_one_craft_is_suppressed(client, tiznit_artisan):
    response = client.get(
        "/api/v1/open-data/registrations",
        {
            "rows": "province",
            "columns": "sex",
            "commune": tiznit_artisan.workplace_commune.code,
            "activity": tiznit_artisan.principal_activity.code,
        },
    )
    assert response.status_code == 200
    values = [r["artisans"] for r in response.json()["rows"] if r["area_code"] == "09.581"]
    assert 1 not in values and None in values


def test_large_counts_are_published_rounded_to_5(client):
    counted(123)
    counted(48, sex="M")
    response = client.get("/api/v1/open-data/registrations", {"rows": "region", "columns": "sex"})
    souss = {
        r["column_code"]: r["artisans"] for r in response.json()["rows"] if r["area_code"] == "09"
    }
    assert souss == {"F": 125, "M": 50, "E": 0, "_T": 170}


@pytest.mark.parametrize(
    "params",
    [{"rows": "commune"}, {"columns": "income"}, {"to": "2999-01"}, {"region": "99"}, {"x": "1"}],
)
def test_a_bad_open_data_query_is_refused_with_a_message(client, params):
    response = client.get("/api/v1/open-data/registrations", params)
    assert response.status_code == 400
    assert response.json()["fields"]


def test_the_coverage_rates_come_from_protected_counts(client):
    counted(200)
    response = client.get("/api/v1/open-data/coverage", {"level": "region"})
    assert response.status_code == 200
    souss = next(r for r in response.json() if r["code"] == "09")
    assert souss["registered"] is None or souss["registered"] % 5 == 0


def test_an_unknown_coverage_level_is_refused(client):
    assert client.get("/api/v1/open-data/coverage", {"level": "commune"}).status_code == 400


def test_the_published_tables_are_listed_with_their_files(client):
    listed = client.get("/api/v1/open-data/tables").json()
    assert {t["key"] for t in listed} == {q.key for q in open_data.PUBLISHED}
    assert client.get(listed[0]["csv"]).status_code == 200
    assert client.get("/api/v1/open-data/tables/nothing").status_code == 404


def test_every_csv_is_valid_against_its_csvw_metadata(client, tmp_path):
    counted(123)
    for query in open_data.PUBLISHED:
        csv_response = client.get(f"/open-data/{query.key}.csv")
        meta = client.get(f"/open-data/{query.key}.csv-metadata.json")
        assert meta["Content-Type"] == "application/csvm+json"
        (tmp_path / f"{query.key}.csv").write_bytes(csv_response.content)
        (tmp_path / f"{query.key}.csv-metadata.json").write_bytes(meta.content)
        checked = csvw.CSVW(str(tmp_path / f"{query.key}.csv-metadata.json"), validate=True)
        assert checked.is_valid, (query.key, checked.warnings)
        rows = list(checked.tables[0].iterdicts())
        assert rows and rows[-1]["area_code"] == "_T"


def test_the_catalogue_is_dcat_in_json_ld(client):
    response = client.get("/open-data/catalogue.jsonld")
    assert response["Content-Type"] == "application/ld+json"
    catalogue = json.loads(response.content)
    assert catalogue["@type"] == "dcat:Catalog"
    assert len(catalogue["dcat:dataset"]) == len(open_data.PUBLISHED)
    first = catalogue["dcat:dataset"][0]
    assert first["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.parametrize(
    "path, queries",
    [
        # Each figure read again (not cached) first looks for changes to fold (0068).
        ("/api/v1/open-data/registrations?rows=province&columns=branch", 4),
        ("/api/v1/open-data/coverage?level=province", 4),
        ("/api/v1/open-data/tables/registrations-region-sex", 3),
        ("/open-data/", 9),
        ("/open-data/registrations-province-month.csv", 3),
    ],
)
def test_each_open_data_read_takes_a_fixed_number_of_queries(
    client, path, queries, django_assert_num_queries
):
    from django.core.cache import cache

    counted(123)
    client.get(path)
    cache.clear()  # the figures themselves, not the cache, are counted
    with django_assert_num_queries(queries):
        assert client.get(path).status_code == 200


def test_the_open_data_are_cached_a_few_minutes(client, django_assert_num_queries):
    counted(123)
    path = "/api/v1/open-data/registrations?rows=province&columns=branch"
    client.get(path)
    with django_assert_num_queries(0):
        assert client.get(path).status_code == 200
