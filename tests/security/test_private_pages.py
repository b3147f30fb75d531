"""Issue 11, finding 10: pages and API answers showing personal data are never stored
by a browser or a proxy (`Cache-Control: no-store`), set in one place."""

import pytest

from hirfa.accounts.services import create_api_token
from tests.factories import UserFactory, agent_of, officer_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/review/", "/registrations/", "/search/", "/coverage/", "/api/v1/me"]
)
def test_officer_pages_are_not_stored(client, url):
    client.force_login(officer_of("09.581"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_desk_is_not_stored(client):
    client.force_login(agent_of("09"))
    response = client.get("/desk/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("url", ["/me/", "/me/coverage/"])
def test_an_artisans_own_pages_are_not_stored(client, url):
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code in (200, 302)
    assert response["Cache-Control"] == "no-store"


def test_api_answers_to_a_token_are_not_stored(client):
    _token, secret = create_api_token(user=officer_of("09.581"), name="probe", created_by=None)
    response = client.get("/api/v1/register/dossiers", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_a_public_answer_that_says_how_to_cache_it_keeps_its_own_rule(client, settings):
    from tests.factories import use_test_signing_key

    use_test_signing_key(settings)
    response = client.get("/.well-known/rna-revocations")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("public, max-age=")
