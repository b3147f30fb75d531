import pytest
from django.urls import reverse

from hirfa.accounts.services import create_api_token
from tests.factories import AGADIR_CITY, DEFAULT_PASSWORD, UserFactory, national, officer_of
from tests.search.helpers import registered

pytestmark = pytest.mark.django_db


def logged_in(client, user):
    client.login(username=user.username, password=DEFAULT_PASSWORD)
    return client


def test_the_search_page_lists_the_people_found_with_links_to_their_files(client):
    target = registered("عبد الحق", "أيت علي", "Abdelhaq", "Ait Ali")
    registered("عبد الحق", "أيت علي", "Abdelhaq", "Ait Ali", commune=AGADIR_CITY)
    response = logged_in(client, officer_of("09.581")).get(
        reverse("search:search"), {"q": "عبد الحق أيت"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert reverse("register_staff:registration", args=[target.number]) in page
    assert page.count('class="search-name"') == 1
    assert 'id="search-q"' in page and 'hx-post="/search/"' in page


def test_as_you_type_requests_get_only_the_results(client):
    registered("محمد", "العلوي", "Mohamed", "Alaoui")
    response = logged_in(client, national()).get(
        reverse("search:search"), {"q": "Mhamed Alao"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page and "Mohamed ALAOUI" in page
    assert "HX-Request" in response["Vary"]


def test_unknown_filters_are_ignored_rather_than_failing(client):
    registered("محمد", "العلوي", "Mohamed", "Alaoui")
    response = logged_in(client, officer_of("09.581")).get(
        reverse("search:search"),
        {"q": "Mohamed", "province": "09.001", "status": "nonsense", "page": "x"},
    )
    assert response.status_code == 200
    assert "Mohamed ALAOUI" in response.content.decode()


def test_the_filters_stay_folded_until_one_is_used(client):
    logged_in(client, officer_of("09.581"))
    page = client.get(reverse("search:search"), {"q": "Mohamed"}).content.decode()
    assert '<details class="search-filters">' in page
    page = client.get(
        reverse("search:search"), {"q": "Mohamed", "province": "09.581", "category": "master"}
    ).content.decode()
    assert '<details class="search-filters" open>' in page
    assert "(2)</summary>" in page


def test_the_staff_menu_links_to_the_search_and_artisans_may_not_search(client):
    page = logged_in(client, officer_of("09.581")).get(reverse("site:home")).content.decode()
    assert f'href="{reverse("search:search")}"' in page
    client.logout()
    artisan = UserFactory()
    assert logged_in(client, artisan).get(reverse("search:search")).status_code == 403


def test_the_api_searches_within_the_scope_of_the_token(client):
    tiznit = registered("الحسين", "أيت الحسين", "Lahcen", "Ait Lahcen")
    registered("الحسين", "أيت الحسين", "Lahcen", "Ait Lahcen", commune=AGADIR_CITY)
    officer = officer_of("09.581")
    token = create_api_token(user=officer, name="test", created_by=None)[1]
    response = client.get(
        "/api/v1/search/",
        {"q": "Lhoussain Ait El Houssaine"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == "name" and body["total"] == 1
    assert body["results"][0]["number"] == tiznit.number
    assert body["results"][0]["name_ar"] == "الحسين أيت الحسين"
