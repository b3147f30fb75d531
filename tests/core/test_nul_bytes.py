"""A NUL character is refused at the edge (400), never carried to the database."""

import json

import pytest

from tests.factories import national

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/register/registrations/12%0034",
        "/api/v1/register/dossiers?state=a%00",
        "/registrations/10%00/",
        "/coverage/?province=09%00",
        "/api/v1/crafts/activities/%00",
        "/api/v1/crafts/activities?branch=%00",
        "/api/v1/crafts/activities?q=%00",
        "/api/v1/territories/communes/%00",
        "/api/v1/territories/communes?q=tiz%00nit",
        "/review/?state=%00",
        "/api/v1/exports/registrations?territory=09%00581",
    ],
)
def test_a_nul_in_the_path_or_the_query_is_a_bad_request(client, url):
    client.force_login(national())
    assert client.get(url).status_code == 400


def test_the_api_answers_a_nul_with_its_error_shape(client):
    client.force_login(national())
    response = client.get("/api/v1/register/dossiers", {"state": "a\x00"})
    assert response.json()["code"] == "bad_request"


def test_a_nul_in_a_form_field_or_a_json_body_is_a_bad_request(client):
    client.force_login(national())
    assert client.post("/search/", {"q": "a\x00"}).status_code == 400
    body = json.dumps({"qr": "RNA1:\x00"})
    response = client.post("/api/v1/cards/verify", body, content_type="application/json")
    assert response.status_code == 400


def test_ordinary_requests_pass(client):
    client.force_login(national())
    assert client.get("/api/v1/register/dossiers", {"state": "submitted"}).status_code == 200
