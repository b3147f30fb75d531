"""Sensitive actions ask who one is again (ASVS 3.7.1, docs/decisions/0077): changing a
password, creating API tokens, managing staff accounts and turning the second factor off
take the password, and the code when the account has a second factor, unless the session
showed them within REAUTHENTICATION_SECONDS (a login counts)."""

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from hirfa.accounts import second_factor
from hirfa.accounts.models import ApiToken, LoginFailure, User
from hirfa.accounts.reauthentication import AUTHENTICATED_AT
from hirfa.accounts.roles import Role
from hirfa.audit.models import AuditEntry
from tests.factories import DEFAULT_PASSWORD, national, officer_of

pytestmark = pytest.mark.django_db

CONFIRM = "/accounts/confirm/"
PASSWORD_CHANGE = "/admin/password_change/"
NEW_TOKEN = "/admin/accounts/apitoken/add/"
NEW_ACCOUNT = "/admin/accounts/user/add/"
ACCOUNTS = "/admin/accounts/user/"


@pytest.fixture
def admin():
    return national(Role.ADMIN, username="n.bennani", is_staff=True, is_superuser=True)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def long_ago(client, settings) -> Client:
    """The session showed its password longer ago than the window."""
    session = client.session
    session[AUTHENTICATED_AT] -= settings.REAUTHENTICATION_SECONDS + 1
    session.save()
    return client


def with_second_factor(user, client=None) -> list[str]:
    """Give `user` an authenticator app (the session, if any, has shown it); returns the
    recovery codes."""
    device = second_factor.start_enrolment(user=user)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    _device, codes = second_factor.confirm_enrolment(user=user, code=f"{totp.token():06d}")
    if client is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
    return codes


def sent_to_confirm(response, back: str) -> bool:
    return response.status_code == 302 and response["Location"] == (
        f"{CONFIRM}?next={back.replace('/', '%2F')}"
    )


def test_right_after_logging_in_the_password_can_be_changed(admin):
    assert signed_in(admin).get(PASSWORD_CHANGE).status_code == 200


def test_changing_one_s_password_long_after_logging_in_asks_for_it_again(admin, settings):
    response = long_ago(signed_in(admin), settings).get(PASSWORD_CHANGE)
    assert sent_to_confirm(response, PASSWORD_CHANGE)


def test_a_password_posted_long_after_logging_in_is_not_changed(admin, settings):
    client = long_ago(signed_in(admin), settings)
    response = client.post(
        PASSWORD_CHANGE,
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "a new long passphrase 7",
            "new_password2": "a new long passphrase 7",
        },
    )
    assert sent_to_confirm(response, PASSWORD_CHANGE)
    admin.refresh_from_db()
    assert admin.check_password(DEFAULT_PASSWORD)


def test_the_right_password_opens_the_action_again_for_the_window(admin, settings):
    client = long_ago(signed_in(admin), settings)
    response = client.post(CONFIRM, {"password": DEFAULT_PASSWORD, "next": PASSWORD_CHANGE})
    assert response.status_code == 302
    assert response["Location"] == PASSWORD_CHANGE
    assert client.get(PASSWORD_CHANGE).status_code == 200


def test_a_wrong_password_is_refused_and_counted_like_a_failed_login(admin, settings):
    client = long_ago(signed_in(admin), settings)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(CONFIRM, {"password": "not the password", "next": PASSWORD_CHANGE})
    assert response.status_code == 200
    assert "This password is not right." in response.content.decode()
    assert LoginFailure.objects.filter(username=admin.username).count() == 1
    assert sent_to_confirm(client.get(PASSWORD_CHANGE), PASSWORD_CHANGE)


def test_after_too_many_wrong_passwords_even_the_right_one_is_refused(admin, settings):
    client = long_ago(signed_in(admin), settings)
    for _ in range(settings.LOGIN_MAX_FAILURES):
        client.post(CONFIRM, {"password": "not the password", "next": PASSWORD_CHANGE})
    response = client.post(CONFIRM, {"password": DEFAULT_PASSWORD, "next": PASSWORD_CHANGE})
    assert response.status_code == 200
    assert sent_to_confirm(client.get(PASSWORD_CHANGE), PASSWORD_CHANGE)


def test_with_a_second_factor_the_password_alone_is_not_enough(admin, settings):
    client = signed_in(admin)
    with_second_factor(admin, client)
    long_ago(client, settings)
    response = client.post(CONFIRM, {"password": DEFAULT_PASSWORD, "next": PASSWORD_CHANGE})
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert sent_to_confirm(client.get(PASSWORD_CHANGE), PASSWORD_CHANGE)


def test_with_a_second_factor_the_password_and_a_code_open_the_action(admin, settings):
    client = signed_in(admin)
    codes = with_second_factor(admin, client)
    long_ago(client, settings)
    response = client.post(
        CONFIRM, {"password": DEFAULT_PASSWORD, "code": codes[0], "next": PASSWORD_CHANGE}
    )
    assert response.status_code == 302
    assert client.get(PASSWORD_CHANGE).status_code == 200


def test_creating_an_api_token_long_after_logging_in_asks_again(admin, settings):
    client = long_ago(signed_in(admin), settings)
    assert sent_to_confirm(client.get(NEW_TOKEN), NEW_TOKEN)
    response = client.post(NEW_TOKEN, {"user": admin.pk, "name": "cnss"})
    assert sent_to_confirm(response, NEW_TOKEN)
    assert not ApiToken.objects.exists()


def test_adding_a_staff_account_long_after_logging_in_asks_again(admin, settings):
    client = long_ago(signed_in(admin), settings)
    response = client.post(
        NEW_ACCOUNT,
        {
            "username": "new.officer",
            "password1": "a new long passphrase 7",
            "password2": "a new long passphrase 7",
            "role": Role.AUDITOR,
        },
    )
    assert sent_to_confirm(response, NEW_ACCOUNT)
    assert not User.objects.filter(username="new.officer").exists()


def test_changing_another_account_s_password_long_after_logging_in_asks_again(admin, settings):
    officer = officer_of("09.581")
    page = f"{ACCOUNTS}{officer.pk}/password/"
    response = long_ago(signed_in(admin), settings).get(page)
    assert sent_to_confirm(response, page)


def test_an_action_on_the_list_of_accounts_asks_again_but_the_list_does_not(admin, settings):
    officer = officer_of("09.581")
    with_second_factor(officer)
    client = long_ago(signed_in(admin), settings)
    assert client.get(ACCOUNTS).status_code == 200
    response = client.post(
        ACCOUNTS, {"action": "reset_second_factor", "_selected_action": [officer.pk]}
    )
    assert sent_to_confirm(response, ACCOUNTS)
    assert second_factor.has_second_factor(officer)


def test_turning_the_second_factor_off_long_after_logging_in_asks_again(settings):
    officer = officer_of("09.581")
    client = signed_in(officer)
    with_second_factor(officer, client)
    long_ago(client, settings)
    response = client.post("/accounts/2fa/turn-off/")
    assert sent_to_confirm(response, "/accounts/2fa/")
    assert second_factor.has_second_factor(officer)


def test_each_confirmation_is_audited(admin, settings):
    client = long_ago(signed_in(admin), settings)
    client.post(CONFIRM, {"password": DEFAULT_PASSWORD, "next": PASSWORD_CHANGE})
    entry = AuditEntry.objects.get(action="account.reauthenticated")
    assert entry.actor_id == admin.pk


def test_the_confirmation_never_sends_to_another_site(admin, settings):
    client = long_ago(signed_in(admin), settings)
    response = client.post(
        CONFIRM, {"password": DEFAULT_PASSWORD, "next": "https://evil.example/steal"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
