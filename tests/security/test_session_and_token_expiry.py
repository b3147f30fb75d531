"""Issue 11, finding 10: sessions end when idle and after a maximum age; API tokens
expire."""

from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.accounts.models import ApiToken
from hirfa.accounts.services import create_api_token
from hirfa.accounts.sessions import SEEN_AT, SIGNED_IN_AT
from tests.factories import UserFactory, officer_of

pytestmark = pytest.mark.django_db


def age_session(client, *, idle: int = 0, signed_in: int = 0):
    """Move the session's clocks back by this many seconds."""
    session = client.session
    session[SEEN_AT] -= idle
    session[SIGNED_IN_AT] -= signed_in
    session.save()


@pytest.fixture
def officer_client(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/review/").status_code == 200  # the session now knows its clocks
    return client


def test_a_staff_session_idle_past_its_limit_is_signed_out(officer_client, settings):
    age_session(officer_client, idle=settings.SESSION_IDLE_SECONDS_STAFF + 1)
    response = officer_client.get("/review/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_staff_session_used_within_its_limit_goes_on(officer_client, settings):
    age_session(officer_client, idle=settings.SESSION_IDLE_SECONDS_STAFF - 60)
    assert officer_client.get("/review/").status_code == 200


def test_an_artisan_has_the_longer_idle_limit(client, settings):
    settings.SESSION_IDLE_SECONDS = settings.SESSION_IDLE_SECONDS_STAFF * 4
    client.force_login(UserFactory())
    client.get("/me/")
    age_session(client, idle=settings.SESSION_IDLE_SECONDS_STAFF + 1)
    assert client.get("/api/v1/me").status_code == 200
    age_session(client, idle=settings.SESSION_IDLE_SECONDS + 1)
    assert client.get("/api/v1/me").status_code == 401


def test_an_active_session_ends_at_its_maximum_age(officer_client, settings):
    age_session(officer_client, signed_in=settings.SESSION_MAX_SECONDS + 1)
    assert officer_client.get("/review/").status_code == 302


def test_the_api_answers_401_to_an_idle_session(officer_client, settings):
    age_session(officer_client, idle=settings.SESSION_IDLE_SECONDS_STAFF + 1)
    assert officer_client.get("/api/v1/me").status_code == 401


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_an_api_token_works_until_it_expires(client, settings):
    token, secret = create_api_token(user=officer_of("09.581"), name="etl", created_by=None)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=settings.API_TOKEN_DAYS) + timedelta(hours=1)
    )
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200


def test_an_expired_api_token_is_refused_with_401(client, settings):
    token, secret = create_api_token(user=officer_of("09.581"), name="etl", created_by=None)
    ApiToken.objects.filter(pk=token.pk).update(
        created_at=timezone.now() - timedelta(days=settings.API_TOKEN_DAYS, seconds=1)
    )
    response = client.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "fields"}


def test_tokens_last_90_days_unless_configured(settings):
    from hirfa import settings as defaults

    assert defaults.API_TOKEN_DAYS == 90
    assert defaults.SESSION_IDLE_SECONDS_STAFF == 30 * 60
