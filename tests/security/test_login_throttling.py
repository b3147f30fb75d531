"""Issue 11, findings 3 and 4: one login, one throttle.

The admin site's login goes through the same throttle as /accounts/login/; the count is
taken before the password is checked, so that parallel guesses cannot all be checked;
the client's address is read behind trusted proxies only; and one address can lock an
account for itself, not for everyone (docs/decisions/0006, amended by 0032)."""

import pytest
from django.test import RequestFactory

from hirfa.accounts.addresses import client_address
from hirfa.accounts.models import LoginFailure
from tests.factories import DEFAULT_PASSWORD, national, officer_of

pytestmark = pytest.mark.django_db

ATTACKER, OWNER, PROXY = "203.0.113.7", "198.51.100.20", "10.0.0.2"


@pytest.fixture
def admin_user():
    user = national(username="n.admin")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def officer():
    return officer_of("09.581", username="k.oubella")


def log_in(client, username, password, address=ATTACKER, path="/accounts/login/", **headers):
    data = {"username": username, "password": password}
    return client.post(path, data, REMOTE_ADDR=address, **headers)


def logged_in_as(client) -> str | None:
    response = client.get("/api/v1/me")
    return response.json()["username"] if response.status_code == 200 else None


# --- Finding 3: the admin site's login --------------------------------------------------


def test_an_account_locked_at_the_login_page_is_refused_at_the_admin_login(
    client, admin_user, settings
):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        log_in(client, "n.admin", "wrong")
    response = log_in(client, "n.admin", DEFAULT_PASSWORD, path="/admin/login/")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"
    assert logged_in_as(client) is None


def test_wrong_passwords_at_the_admin_login_are_counted_and_lock_it(client, admin_user, settings):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        assert log_in(client, "n.admin", "wrong", path="/admin/login/").status_code == 200
    assert LoginFailure.objects.filter(username="n.admin").count() == 3
    response = log_in(client, "n.admin", DEFAULT_PASSWORD, path="/admin/login/")
    assert response.context["form"].non_field_errors().as_data()[0].code == "throttled"
    assert logged_in_as(client) is None


def test_the_admin_login_still_lets_the_administrator_in(client, admin_user):
    response = log_in(client, "n.admin", DEFAULT_PASSWORD, path="/admin/login/")
    assert response.status_code == 302
    assert logged_in_as(client) == "n.admin"
    assert not LoginFailure.objects.exists()


# --- Finding 4: one address does not lock an account for everyone ------------------------


def test_failures_from_one_address_lock_the_account_for_that_address_only(
    client, officer, settings
):
    settings.LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        log_in(client, "k.oubella", "wrong", address=ATTACKER)
    refused = log_in(client, "k.oubella", DEFAULT_PASSWORD, address=ATTACKER)
    assert refused.context["form"].non_field_errors().as_data()[0].code == "throttled"
    assert log_in(client, "k.oubella", DEFAULT_PASSWORD, address=OWNER).status_code == 302


def test_failures_from_many_addresses_lock_the_account_for_everyone(client, officer, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for n in range(4):
        for _ in range(2):
            log_in(client, "k.oubella", "wrong", address=f"203.0.113.{n + 10}")
    refused = log_in(client, "k.oubella", DEFAULT_PASSWORD, address=OWNER)
    assert refused.context["form"].non_field_errors().as_data()[0].code == "throttled"


def test_an_address_trying_many_accounts_is_stopped(client, officer, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for n in range(8):
        log_in(client, f"someone{n}", "wrong", address=ATTACKER)
    refused = log_in(client, "k.oubella", DEFAULT_PASSWORD, address=ATTACKER)
    assert refused.context["form"].non_field_errors().as_data()[0].code == "throttled"
    assert log_in(client, "k.oubella", DEFAULT_PASSWORD, address=OWNER).status_code == 302


def test_a_refused_attempt_does_not_prolong_the_lock(client, officer, settings):
    settings.LOGIN_MAX_FAILURES = 2
    for _ in range(2):
        log_in(client, "k.oubella", "wrong")
    for _ in range(5):
        log_in(client, "k.oubella", "wrong")
    assert LoginFailure.objects.count() == 2


# --- Finding 4: the client's address behind proxies ------------------------------------


def request_from(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(request_from(PROXY, f"{OWNER}")) == PROXY


def test_behind_a_trusted_proxy_the_client_is_the_address_it_forwards(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from(PROXY, OWNER)) == OWNER


def test_an_address_the_client_wrote_itself_is_not_believed(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    # The client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the real address.
    assert client_address(request_from(PROXY, f"1.2.3.4, {ATTACKER}")) == ATTACKER
    assert client_address(request_from(PROXY, f"1.2.3.4, {ATTACKER}, 10.0.0.9")) == ATTACKER


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from(ATTACKER, OWNER)) == ATTACKER


def test_an_unreadable_forwarded_address_gives_no_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_address(request_from(PROXY, "not-an-address")) is None
    assert client_address(request_from(PROXY, "")) is None


def test_behind_a_proxy_each_client_has_its_own_count(client, officer, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LOGIN_MAX_FAILURES = 2
    for n in range(8):
        log_in(client, f"someone{n}", "wrong", address=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {ATTACKER}
    response = log_in(
        client, "k.oubella", DEFAULT_PASSWORD, address=PROXY, HTTP_X_FORWARDED_FOR=OWNER
    )
    assert response.status_code == 302


def test_the_qr_reader_counts_the_client_behind_the_proxy(client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TRUSTED_PROXIES = [PROXY]
    settings.VERIFY_READS_PER_MINUTE = 1

    def read(address):
        upload = SimpleUploadedFile("x.png", b"not a png", "image/png")
        return client.post(
            "/verify/read/", {"file": upload}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address
        )

    assert read(ATTACKER).status_code == 400
    assert read(ATTACKER).status_code == 429
    assert read(OWNER).status_code == 400
