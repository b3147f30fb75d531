import pytest

pytestmark = pytest.mark.django_db

API = "/api/v1/territories"


def test_regions_are_public_and_listed_with_their_names_and_population(client):
    response = client.get(f"{API}/regions")

    assert response.status_code == 200
    regions = response.json()
    assert len(regions) == 12
    assert regions[8] == {
        "code": "09",
        "name": "سوس-ماسة",
        "name_ar": "سوس-ماسة",
        "name_fr": "Souss-Massa",
        "name_zgh": "",
        "population": 3_020_431,
    }


def test_a_region_is_read_by_its_code(client):
    response = client.get(f"{API}/regions/09")

    assert response.status_code == 200
    assert response.json()["name_fr"] == "Souss-Massa"


def test_names_follow_the_requested_language(client):
    response = client.get(f"{API}/provinces/09.581", headers={"Accept-Language": "fr"})

    assert response.json()["name"] == "Tiznit"
    assert response["Content-Language"] == "fr"


def test_provinces_are_filtered_by_region(client):
    response = client.get(f"{API}/provinces", {"region": "09"})

    assert response.status_code == 200
    provinces = response.json()
    assert len(provinces) == 6
    assert {p["region"] for p in provinces} == {"09"}


def test_a_province_shows_its_kind_region_and_population(client):
    body = client.get(f"{API}/provinces/09.581").json()

    assert body["kind"] == "province"
    assert body["region"] == "09"
    assert body["population"] == 198_542


def test_communes_are_paginated_by_100(client):
    body = client.get(f"{API}/communes").json()

    assert body["count"] == 1503
    assert len(body["items"]) == 100


def test_the_last_page_of_communes_holds_the_remainder(client):
    body = client.get(f"{API}/communes", {"page": 16}).json()

    assert len(body["items"]) == 3


def test_a_page_holds_at_most_500_communes(client):
    assert len(client.get(f"{API}/communes", {"page_size": 501}).json()["items"]) == 500
    assert client.get(f"{API}/communes", {"page_size": 5000}).status_code == 422


def test_communes_are_filtered_by_province(client):
    body = client.get(f"{API}/communes", {"province": "09.581"}).json()

    assert body["count"] == 25
    assert {c["province"] for c in body["items"]} == {"09.581"}
    assert {c["region"] for c in body["items"]} == {"09"}


def test_communes_are_searched_by_name(client):
    body = client.get(f"{API}/communes", {"q": "tiznit"}).json()

    assert [c["code"] for c in body["items"]] == ["09.581.01.07"]
    assert body["items"][0]["kind"] == "urban"


def test_a_commune_is_read_by_its_code(client):
    response = client.get(f"{API}/communes/09.581.01.07")

    assert response.status_code == 200
    assert response.json()["name_ar"] == "تيزنيت"


def test_a_big_citys_one_digit_commune_code_is_accepted(client):
    assert client.get(f"{API}/communes/06.141.01.0").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/regions/13",
        "/provinces/09.999",
        "/communes/09.581.01.99",
        "/provinces?region=13",
        "/communes?province=09.999",
    ],
)
def test_an_unknown_code_is_a_404_in_the_common_error_shape(client, path):
    response = client.get(f"{API}{path}")

    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found"
    assert body["message"]
    assert body["fields"] == {}


def test_a_404_is_answered_in_the_requested_language(client):
    response = client.get(f"{API}/communes/09.581.01.99", headers={"Accept-Language": "fr"})

    assert response.status_code == 404
    assert response["Content-Language"] == "fr"
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize(
    "path",
    [
        "/regions/abc",
        "/regions/0" + "9" * 300,
        "/provinces/09581",
        "/communes/09.581.01.07%0A",
        "/provinces?region=x'--",
        "/communes?province=09",
        "/communes?q=" + "a" * 101,
        "/communes?page=0",
        "/communes?page=abc",
        "/communes?page=99999999999999999999999",
        "/communes?page_size=-1",
    ],
)
def test_garbage_is_refused_as_invalid_never_a_server_error(client, path):
    response = client.get(f"{API}{path}")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_a_search_with_control_characters_is_answered(client):
    response = client.get(f"{API}/communes", {"q": "tiz\x07nit"})

    assert response.status_code == 200
    assert [c["code"] for c in response.json()["items"]] == ["09.581.01.07"]


def test_the_openapi_schema_declares_the_error_responses(client):
    schema = client.get("/api/v1/openapi.json").json()
    commune = schema["paths"][f"{API}/communes/{{code}}"]["get"]

    assert {"200", "404", "422"} <= set(commune["responses"])
    assert "security" not in commune
