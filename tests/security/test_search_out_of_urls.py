"""Names and CNIEs searched stay out of addresses (ASVS 8.3.1, docs/decisions/0077): the
search forms (the staff search, the list of registrations) are posted, and the results'
address carries only a random id of the search kept in the session, so access logs, the
browser's history and Referer headers never hold them."""

import time

import pytest

from hirfa.core.kept_searches import SESSION_KEY as SESSION_SEARCHES
from tests.factories import officer_of
from tests.search.helpers import registered

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    officer = officer_of("09.581")
    client.force_login(officer)
    return officer


def test_the_search_form_is_posted_not_sent_in_the_address(client, officer):
    page = client.get("/search/").content.decode()
    assert '<form method="post" action="/search/"' in page
    assert 'hx-post="/search/"' in page and 'hx-get="/search/"' not in page


def test_a_posted_search_is_answered_at_an_address_without_the_name(client, officer):
    registered("محمد", "العلوي", "Mohamed", "Alaoui")
    response = client.post("/search/", {"q": "Mohamed Alaoui"})
    assert response.status_code == 302
    address = response["Location"]
    assert address.startswith("/search/?s=") and "Mohamed" not in address
    page = client.get(address).content.decode()
    assert "Mohamed ALAOUI" in page
    assert 'value="Mohamed Alaoui"' in page


def test_as_you_type_the_results_come_back_and_the_history_gets_only_the_id(client, officer):
    registered("محمد", "العلوي", "Mohamed", "Alaoui")
    response = client.post("/search/", {"q": "Mhamed Alao"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page and "Mohamed ALAOUI" in page
    pushed = response["HX-Push-Url"]
    assert pushed.startswith("/search/?s=") and "Alao" not in pushed


def test_the_pages_of_a_posted_search_link_by_its_id(client, officer, settings):
    for n in range(25):
        registered("فاطمة", "أيت علي", "Fatima", "Ait Ali", phone=f"06610000{n:02d}")
    response = client.post("/search/", {"q": "Fatima"}, HTTP_HX_REQUEST="true")
    search_id = response["HX-Push-Url"].removeprefix("/search/?s=")
    page = response.content.decode()
    assert f'href="?s={search_id}&amp;page=2"' in page
    second = client.get(f"/search/?s={search_id}&page=2")
    assert second.status_code == 200 and "Fatima" in second.content.decode()


def test_an_expired_search_id_asks_to_type_the_search_again(client, officer, settings):
    registered("محمد", "العلوي", "Mohamed", "Alaoui")
    address = client.post("/search/", {"q": "Mohamed"})["Location"]
    session = client.session
    for kept in session[SESSION_SEARCHES].values():
        kept["at"] = int(time.time()) - settings.SEARCH_KEPT_SECONDS - 1
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(address).content.decode()
    assert "This search is no longer kept: type it again." in page
    assert "Mohamed ALAOUI" not in page


def test_a_search_id_of_another_session_finds_nothing(client, officer):
    registered("محمد", "العلوي", "Mohamed", "Alaoui")
    address = client.post("/search/", {"q": "Mohamed"})["Location"]
    other = client.__class__()
    other.force_login(officer_of("09.581", username="other.officer"))
    page = other.get(address).content.decode()
    assert "Mohamed ALAOUI" not in page


def test_the_posted_filters_are_kept_with_the_search(client, officer):
    registered("محمد", "العلوي", "Mohamed", "Alaoui", category="master")
    registered("محمد", "العلوي", "Mohamed", "Alaoui")
    address = client.post("/search/", {"q": "Mohamed", "category": "master"})["Location"]
    page = client.get(address).content.decode()
    assert page.count('class="search-name"') == 1
    assert '<details class="search-filters" open>' in page


def test_a_session_keeps_only_its_latest_searches(client, officer):
    for n in range(25):
        client.post("/search/", {"q": f"name {n}"})
    assert len(client.session[SESSION_SEARCHES]) == 20


def test_the_api_takes_a_search_in_the_body_too(client, officer):
    registered("محمد", "العلوي", "Mohamed", "Alaoui")
    response = client.post(
        "/api/v1/search/", {"q": "Mohamed Alaoui"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["name_latin"] == "Mohamed ALAOUI"


def test_the_list_of_registrations_takes_a_cnie_in_the_body_and_shows_only_an_id(client, officer):
    registration = registered("محمد", "العلوي", "Mohamed", "Alaoui")
    cnie = registration.person.cnie
    page = client.get("/registrations/").content.decode()
    assert '<form method="post" action="/registrations/"' in page
    response = client.post("/registrations/", {"q": cnie})
    assert response.status_code == 302
    address = response["Location"]
    assert address.startswith("/registrations/?s=") and cnie not in address
    page = client.get(address).content.decode()
    assert f"/registrations/{registration.number}/" in page
    assert f'value="{cnie}"' in page


def test_an_expired_id_of_the_list_of_registrations_asks_to_type_it_again(
    client, officer, settings
):
    address = client.post("/registrations/", {"q": "JK123456"})["Location"]
    session = client.session
    for kept in session[SESSION_SEARCHES].values():
        kept["at"] = int(time.time()) - settings.SEARCH_KEPT_SECONDS - 1
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "This search is no longer kept: type it again." in client.get(address).content.decode()
