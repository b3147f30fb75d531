"""API lists refuse page numbers no list can have, instead of failing in the database."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_absurd_page_number_is_refused_as_invalid_input(client):
    response = client.get("/api/v1/crafts/activities", {"page": 2**70})
    assert response.status_code == 422


def test_a_page_past_the_end_is_an_empty_page(client):
    response = client.get("/api/v1/crafts/activities", {"page": 999})
    assert response.status_code == 200
    assert response.json()["items"] == []
