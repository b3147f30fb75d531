import pytest
from django.core import mail

from hirfa.accounts.models import LoginFailure
from tests.factories import DEFAULT_PASSWORD, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return officer_of("09.581", username="k.oubella")


def log_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_a_staff_member_logs_in_and_out(client, officer):
    response = log_in(client, "k.oubella", DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert client.get("/api/v1/me").json()["username"] == "k.oubella"
    client.post("/accounts/logout/")
    assert client.get("/api/v1/me").status_code == 401


def test_passwords_are_hashed_with_argon2(settings):
    from django.contrib.auth.hashers import make_password

    from hirfa.settings import PASSWORD_HASHERS

    settings.PASSWORD_HASHERS = PASSWORD_HASHERS
    assert make_password("a long passphrase").startswith("argon2")


def test_a_wrong_password_shows_a_message_and_is_counted(client, officer):
    response = log_in(client, "k.oubella", "wrong")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert LoginFailure.objects.filter(username="k.oubella").count() == 1


def test_many_wrong_passwords_lock_the_account_even_for_the_right_one(client, officer, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        log_in(client, "k.oubella", "wrong")
    response = log_in(client, "k.oubella", DEFAULT_PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"
    assert client.get("/api/v1/me").status_code == 401


def test_the_lock_ends_when_the_window_has_passed(client, officer, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        log_in(client, "k.oubella", "wrong")
    LoginFailure.objects.update(at="2000-01-01T00:00:00Z")
    assert log_in(client, "k.oubella", DEFAULT_PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, officer):
    log_in(client, "k.oubella", "wrong")
    log_in(client, "k.oubella", DEFAULT_PASSWORD)
    assert not LoginFailure.objects.exists()


def test_password_reset_mail_is_sent_by_a_background_job(client, officer, run_jobs):
    response = client.post("/accounts/password-reset/", {"email": officer.email})
    assert response.status_code == 302
    assert mail.outbox == []
    run_jobs()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [officer.email]
    assert "/accounts/password-reset/" in mail.outbox[0].body


def test_password_reset_does_not_reveal_whether_an_address_exists(client):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.ma"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-reset/sent/"


def test_session_and_csrf_cookies_are_http_only_and_same_site(settings):
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"
