"""Each API token, and each signed-in session, has a budget of requests a minute
(API_REQUESTS_PER_MINUTE, docs/decisions/0077): past it the API answers 429 with
Retry-After until the next minute. The count is kept in the database, so it holds across
server processes."""

from datetime import timedelta

import pytest
from django.db.models import F

from hirfa.accounts.models import ApiUse
from hirfa.accounts.services import create_api_token
from tests.factories import officer_of

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


@pytest.fixture(autouse=True)
def budget(settings):
    settings.API_REQUESTS_PER_MINUTE = 3


@pytest.fixture
def officer():
    return officer_of("09.581")


def bearer(user, name="client") -> dict:
    _token, secret = create_api_token(user=user, name=name, created_by=None)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_past_its_budget_is_answered_429_with_retry_after(client, officer):
    token = bearer(officer)
    assert [client.get(ME, **token).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(ME, **token)
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_requests"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_each_token_has_its_own_budget(client, officer):
    first, second = bearer(officer, "first"), bearer(officer, "second")
    for _ in range(4):
        client.get(ME, **first)
    assert client.get(ME, **second).status_code == 200


def test_the_budget_is_given_again_the_next_minute(client, officer):
    token = bearer(officer)
    for _ in range(4):
        client.get(ME, **token)
    ApiUse.objects.update(minute=F("minute") - timedelta(minutes=1))
    assert client.get(ME, **token).status_code == 200


def test_a_signed_in_session_has_its_own_budget(client, officer):
    client.force_login(officer)
    assert [client.get(ME).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert client.get(ME, **bearer(officer)).status_code == 200


def test_the_count_names_the_token_by_a_digest_never_by_its_secret(client, officer):
    token = bearer(officer)
    client.get(ME, **token)
    secret = token["HTTP_AUTHORIZATION"].removeprefix("Bearer ")
    caller = ApiUse.objects.get().caller
    assert caller.startswith("token:") and secret not in caller and secret[-20:] not in caller


def test_a_made_up_token_is_refused_without_being_counted(client):
    response = client.get(ME, HTTP_AUTHORIZATION="Bearer hirfa_made_up_secret")
    assert response.status_code == 401
    assert not ApiUse.objects.exists()


def test_minutes_older_than_an_hour_are_forgotten(client, officer):
    token = bearer(officer)
    client.get(ME, **token)
    ApiUse.objects.update(minute=F("minute") - timedelta(hours=2))
    client.get(ME, **token)
    assert ApiUse.objects.count() == 1


def test_with_no_budget_nothing_is_counted(client, officer, settings):
    settings.API_REQUESTS_PER_MINUTE = 0
    token = bearer(officer)
    assert all(client.get(ME, **token).status_code == 200 for _ in range(5))
    assert not ApiUse.objects.exists()
