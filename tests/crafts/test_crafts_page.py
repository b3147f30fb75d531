import pytest

from hirfa.crafts.services import load_nomenclature

pytestmark = pytest.mark.django_db


def test_the_crafts_page_shows_the_provisional_notice_of_the_shipped_list(client, shipped):
    page = client.get("/crafts/").content.decode()

    assert 'class="notice"' in page
    assert "2026-11-provisional-1" in page
    assert "صناعة الفخار النفعي" in page


def test_the_crafts_page_drops_the_notice_once_the_official_list_is_loaded(
    client, shipped_data, csv_rows, write_csv
):
    load_nomenclature(write_csv(csv_rows(shipped_data)), version="official-2027", provisional=False)

    page = client.get("/crafts/").content.decode()

    assert "official-2027" in page
    assert 'class="notice"' not in page


def test_the_crafts_page_hides_retired_activities(client, shipped, shipped_data, write_json):
    shipped_data["categories"][0]["branches"][0]["activities"].pop(0)
    shipped_data["version"] = "without-0101"
    load_nomenclature(write_json(shipped_data))

    page = client.get("/crafts/").content.decode()

    assert "صناعة الفخار النفعي" not in page


def test_the_api_schema_documents_the_crafts_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert {
        "/api/v1/crafts/categories",
        "/api/v1/crafts/activities",
        "/api/v1/crafts/activities/{code}",
        "/api/v1/crafts/release",
    } <= set(paths)
