"""Issue 11, finding 10: a JSON array (or any non-object) where the API expects an
object is refused with the standard error shape, not read as an empty object."""

import pytest

from tests.factories import agent_of, craft_data, person_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client):
    client.force_login(agent_of("09", username="agent"))
    response = client.post(
        "/api/v1/register/dossiers/assisted",
        {"person": person_data(), "craft": craft_data(), "consent": True},
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()


@pytest.mark.parametrize("body", ["[]", '[{"craft": null}]', '"person"', "42", "null", "true"])
def test_a_body_that_is_not_an_object_is_a_bad_request(client, draft, body):
    response = client.patch(
        f"/api/v1/register/dossiers/{draft['id']}", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert set(response.json()) == {"code", "message", "fields"}


def test_an_array_is_refused_on_a_public_endpoint_too(client):
    response = client.post("/api/v1/cards/verify", "[]", content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}


def test_an_object_is_still_read(client, draft):
    response = client.patch(
        f"/api/v1/register/dossiers/{draft['id']}", "{}", content_type="application/json"
    )
    assert response.status_code == 200
