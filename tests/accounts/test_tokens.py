import pytest
from django.core.management import call_command

from hirfa.accounts.models import ApiToken
from hirfa.accounts.services import create_api_token, revoke_api_token

pytestmark = pytest.mark.django_db


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_machine_client_authenticates_with_its_token(client, officer):
    _token, secret = create_api_token(user=officer, name="provincial BI", created_by=None)
    response = client.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 200
    assert response.json()["username"] == officer.username


def test_tokens_are_stored_hashed_never_in_clear(officer):
    token, secret = create_api_token(user=officer, name="x", created_by=None)
    stored = ApiToken.objects.get(pk=token.pk)
    assert secret not in (stored.digest, stored.prefix, stored.name)
    assert stored.digest == ApiToken.digest_of(secret)


def test_a_revoked_token_no_longer_opens_the_api(client, officer):
    token, secret = create_api_token(user=officer, name="x", created_by=None)
    revoke_api_token(token)
    response = client.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_token_of_a_deactivated_user_is_refused(client, officer):
    _token, secret = create_api_token(user=officer, name="x", created_by=None)
    officer.is_active = False
    officer.save()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


@pytest.mark.parametrize("secret", ["", "hirfa_", "nonsense", "hirfa_" + "x" * 500])
def test_a_made_up_token_is_refused(client, secret):
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_token_use_is_recorded(client, officer):
    token, secret = create_api_token(user=officer, name="x", created_by=None)
    client.get("/api/v1/me", **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_the_command_prints_a_secret_that_works(client, officer, capsys):
    call_command("create_api_token", officer.username, name="cnss bridge")
    secret = capsys.readouterr().out.strip()
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    call_command("revoke_api_token", ApiToken.objects.get().prefix)
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_an_administrator_creates_a_token_in_the_admin_and_sees_it_once(admin_client, officer):
    response = admin_client.post(
        "/admin/accounts/apitoken/add/", {"user": officer.pk, "name": "dashboard"}, follow=True
    )
    assert response.status_code == 200
    message = next(str(m) for m in response.context["messages"])
    secret = message.rsplit(" ", 1)[-1]
    assert ApiToken.objects.get(name="dashboard").digest == ApiToken.digest_of(secret)
