"""A mobile application opens an artisan account through the API, as the web page does."""

import re

import pytest

from hirfa.notifications.models import Notification

pytestmark = pytest.mark.django_db

ACCOUNT = {
    "phone": "06 70 11 22 33",
    "password": "babouches-de-fes-2026",
    "first_name": "Itto",
    "last_name": "Oubella",
}


def post(client, path, body):
    return client.post(f"/api/v1/accounts/{path}", body, content_type="application/json")


def sent_code() -> str:
    body = Notification.objects.filter(event="account.phone_code").latest("id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_an_artisan_signs_up_confirms_the_code_and_gets_a_token(client):
    assert post(client, "signup", ACCOUNT).status_code == 202
    confirmed = post(client, "signup/confirm", {"phone": ACCOUNT["phone"], "code": sent_code()})
    assert confirmed.status_code == 201
    token = confirmed.json()["token"]
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["username"] == "+212670112233" and me["role"] == "artisan"


def test_a_wrong_code_is_refused_in_the_error_shape(client):
    post(client, "signup", ACCOUNT)
    response = post(client, "signup/confirm", {"phone": ACCOUNT["phone"], "code": "000000"})
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}


def test_a_weak_password_is_refused_and_no_account_is_opened(client):
    from hirfa.accounts.models import User

    response = post(client, "signup", ACCOUNT | {"password": "123"})
    assert response.status_code == 400
    assert not User.objects.filter(username="+212670112233").exists()


def test_the_dossier_history_is_readable_by_the_officer_of_its_province(client):
    from tests.factories import agent_of, officer_of, submitted_dossier

    dossier = submitted_dossier(agent_of("09"))
    client.force_login(officer_of("09.581"))
    history = client.get(f"/api/v1/register/dossiers/{dossier.pk}/history").json()
    assert [entry["action"] for entry in history][:2] == ["dossier.created", "document.attached"]
    assert history[-1]["action"] == "dossier.submit"
