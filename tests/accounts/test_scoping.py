"""A provincial officer of Tiznit sees Tiznit and nothing else, in HTML and in the API."""

import pytest

from hirfa.accounts import selectors
from hirfa.accounts.roles import Role
from tests.factories import DEFAULT_PASSWORD, UserFactory, agent_of, national, officer_of

pytestmark = pytest.mark.django_db

TIZNIT = "09.581"
AGADIR = "09.001"
CASABLANCA = "06.141"


@pytest.fixture
def tiznit_officer():
    return officer_of(TIZNIT)


@pytest.fixture
def logged_in(client, tiznit_officer):
    client.force_login(tiznit_officer)
    return client


def test_a_provincial_officer_lists_only_their_province(tiznit_officer):
    assert [p.code for p in selectors.provinces_for(tiznit_officer)] == [TIZNIT]


def test_a_chamber_agent_lists_the_provinces_of_their_region():
    codes = {p.code for p in selectors.provinces_for(agent_of("09"))}
    assert TIZNIT in codes and AGADIR in codes
    assert all(code.startswith("09.") for code in codes)
    assert len(codes) == 6


def test_a_national_administrator_lists_every_province():
    assert selectors.provinces_for(national()).count() == 75


def test_an_artisan_sees_no_workspace():
    assert not selectors.provinces_for(UserFactory(role=Role.ARTISAN)).exists()


def test_the_officer_workspace_page_shows_tiznit_only(logged_in):
    page = logged_in.get("/accounts/workspace/").content.decode()
    assert f"/accounts/workspace/provinces/{TIZNIT}/" in page
    assert f"/accounts/workspace/provinces/{AGADIR}/" not in page


@pytest.mark.parametrize(
    "url",
    [
        f"/accounts/workspace/provinces/{AGADIR}/",
        f"/accounts/workspace/provinces/{CASABLANCA}/",
        "/accounts/workspace/organisations/directorate-09-001/",
        "/accounts/workspace/organisations/chamber-06/",
    ],
)
def test_a_guessed_url_outside_the_province_is_not_found(logged_in, url):
    assert logged_in.get(url).status_code == 404


def test_the_officer_opens_their_own_province_and_directorate(logged_in):
    assert logged_in.get(f"/accounts/workspace/provinces/{TIZNIT}/").status_code == 200
    page = logged_in.get("/accounts/workspace/organisations/directorate-09-581/")
    assert page.status_code == 200


def test_staff_of_another_province_are_invisible_to_the_officer(logged_in, tiznit_officer):
    colleague = officer_of(TIZNIT, username="colleague")
    stranger = officer_of(AGADIR, username="stranger")
    page = logged_in.get("/accounts/workspace/staff/").content.decode()
    assert colleague.username in page and tiznit_officer.username in page
    assert stranger.username not in page
    assert logged_in.get(f"/accounts/workspace/staff/{stranger.username}/").status_code == 404
    assert logged_in.get(f"/accounts/workspace/staff/{colleague.username}/").status_code == 200


def test_an_artisan_may_not_open_the_workspace(client):
    client.force_login(UserFactory(role=Role.ARTISAN))
    assert client.get("/accounts/workspace/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(f"/accounts/workspace/provinces/{TIZNIT}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


class TestTheApi:
    def test_lists_only_the_officer_province(self, logged_in):
        body = logged_in.get("/api/v1/workspace/provinces").json()
        assert [p["code"] for p in body] == [TIZNIT]

    @pytest.mark.parametrize(
        "url",
        [
            f"/api/v1/workspace/provinces/{AGADIR}",
            "/api/v1/organisations/directorate-09-001",
            "/api/v1/organisations/chamber-06",
        ],
    )
    def test_answers_not_found_outside_the_province(self, logged_in, url):
        response = logged_in.get(url)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_lists_national_bodies_the_regional_chamber_and_own_directorate(self, logged_in):
        codes = {o["code"] for o in logged_in.get("/api/v1/organisations").json()}
        assert codes == {"cnss", "ministry", "chamber-09", "directorate-09-581"}

    def test_lists_only_staff_inside_the_province(self, logged_in):
        officer_of(AGADIR, username="stranger")
        usernames = {s["username"] for s in logged_in.get("/api/v1/staff").json()}
        assert "stranger" not in usernames
        assert logged_in.get("/api/v1/staff/stranger").status_code == 404

    def test_refuses_anonymous_callers(self, client):
        response = client.get("/api/v1/workspace/provinces")
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"

    def test_tells_an_artisan_their_empty_scope(self, client):
        client.force_login(UserFactory(role=Role.ARTISAN))
        assert client.get("/api/v1/workspace/provinces").json() == []

    def test_me_describes_the_officer_scope(self, client, tiznit_officer):
        client.login(username=tiznit_officer.username, password=DEFAULT_PASSWORD)
        body = client.get("/api/v1/me").json()
        assert body["role"] == "officer"
        assert body["scope"] == {"national": False, "region": None, "province": TIZNIT}
