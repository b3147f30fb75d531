import pytest

from hirfa.crafts.models import Activity
from hirfa.crafts.services import retire_entries

pytestmark = pytest.mark.django_db

API = "/api/v1/crafts"


def test_the_tree_holds_the_categories_branches_and_activities_in_order(client, shipped):
    tree = client.get(f"{API}/categories").json()

    assert [c["code"] for c in tree] == ["1", "2"]
    assert sum(len(c["branches"]) for c in tree) == 13
    assert sum(len(b["activities"]) for c in tree for b in c["branches"]) == 172
    pottery = tree[0]["branches"][0]
    assert pottery["code"] == "01"
    assert pottery["activities"][0] == {
        "code": "0101",
        "name": "صناعة الفخار النفعي",
        "name_ar": "صناعة الفخار النفعي",
        "name_fr": "Poterie utilitaire",
        "name_zgh": "",
        "is_active": True,
    }


def test_the_tree_hides_retired_activities_unless_asked(client, shipped):
    retire_entries(Activity.objects.filter(code="0101"))

    def codes(response):
        return [a["code"] for a in response.json()[0]["branches"][0]["activities"]]

    assert "0101" not in codes(client.get(f"{API}/categories"))
    assert "0101" in codes(client.get(f"{API}/categories", {"include_retired": "true"}))


def test_names_follow_the_language_of_the_client(client, shipped):
    tree = client.get(f"{API}/categories", headers={"accept-language": "fr"}).json()

    assert tree[0]["branches"][0]["name"] == "Poterie et céramique"


def test_activities_are_paginated(client, shipped):
    first = client.get(f"{API}/activities").json()
    last = client.get(f"{API}/activities", {"page": 4}).json()

    assert first["count"] == 172
    assert len(first["items"]) == 50
    assert first["items"][0]["code"] == "0101"
    assert len(last["items"]) == 22


def test_the_page_size_can_be_chosen(client, shipped):
    page = client.get(f"{API}/activities", {"page_size": 10, "page": 2}).json()

    assert [a["code"] for a in page["items"]][:2] == ["0201", "0202"]


def test_activities_can_be_filtered_by_branch(client, shipped):
    page = client.get(f"{API}/activities", {"branch": "01"}).json()

    assert page["count"] == 10
    assert {a["branch"]["code"] for a in page["items"]} == {"01"}


def test_activities_can_be_filtered_by_category(client, shipped):
    page = client.get(f"{API}/activities", {"category": "2", "page_size": 100}).json()

    assert page["count"] == 50
    assert {a["category"]["code"] for a in page["items"]} == {"2"}


def test_activities_can_be_searched_by_words_of_their_names(client, shipped):
    french = client.get(f"{API}/activities", {"q": "tajines terre"}).json()
    arabic = client.get(f"{API}/activities", {"q": "الطواجن"}).json()

    assert [a["code"] for a in french["items"]] == ["0107"]
    assert [a["code"] for a in arabic["items"]] == ["0107"]


def test_retired_activities_are_listed_only_when_asked(client, shipped):
    retire_entries(Activity.objects.filter(code__in=["0101", "0102"]))

    active = client.get(f"{API}/activities").json()
    retired = client.get(f"{API}/activities", {"active": "false"}).json()

    assert active["count"] == 170
    assert [a["code"] for a in retired["items"]] == ["0101", "0102"]
    assert retired["items"][0]["is_active"] is False


def test_an_activity_is_described_with_its_branch_and_category(client, shipped):
    response = client.get(f"{API}/activities/0201")

    assert response.status_code == 200
    activity = response.json()
    assert activity["code"] == "0201"
    assert activity["branch"]["code"] == "02"
    assert activity["branch"]["name_fr"] == "Tissage et tapis"
    assert activity["category"]["code"] == "1"
    assert activity["category"]["name_ar"] == "الصناعة التقليدية الإنتاجية الفنية والنفعية"


def test_a_retired_activity_can_still_be_read(client, shipped):
    retire_entries(Activity.objects.filter(code="0101"))

    response = client.get(f"{API}/activities/0101")

    assert response.status_code == 200
    assert response.json()["is_active"] is False


@pytest.mark.parametrize("code", ["9999", "x" * 40, "01 01", "..%2F"])
def test_an_unknown_activity_code_is_not_found(client, shipped, code):
    response = client.get(f"{API}/activities/{code}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("parameter", ["branch", "category"])
@pytest.mark.parametrize("value", ["99", "x" * 300])
def test_an_unknown_branch_or_category_filter_is_not_found(client, shipped, parameter, value):
    response = client.get(f"{API}/activities", {parameter: value})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "0"},
        {"page_size": "-1"},
        {"active": "maybe"},
        {"q": "x" * 101},
    ],
    ids=["page text", "page zero", "negative page size", "active text", "long query"],
)
def test_garbage_query_parameters_are_refused_with_an_error(client, shipped, query):
    response = client.get(f"{API}/activities", query)

    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


def test_a_page_beyond_the_last_is_empty(client, shipped):
    page = client.get(f"{API}/activities", {"page": 99}).json()

    assert page == {"items": [], "count": 172}


def test_the_release_in_force_is_described(client, shipped):
    release = client.get(f"{API}/release").json()

    assert release["version"] == "2026-11-provisional-1"
    assert release["provisional"] is True
    assert release["loaded_at"]


def test_the_release_is_not_found_before_any_list_is_loaded(client, db):
    response = client.get(f"{API}/release")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_api_needs_no_authentication(client, shipped):
    for path in ("/categories", "/activities", "/activities/0101", "/release"):
        assert client.get(f"{API}{path}").status_code == 200
