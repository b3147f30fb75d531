"""The second factor of staff accounts (docs/decisions/0038): an authenticator app (TOTP)
with recovery codes, required of the roles a setting lists, optional for other staff."""

import re
import time
from base64 import b32encode
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hirfa.accounts import second_factor
from hirfa.accounts.middleware import RequireSecondFactorMiddleware
from hirfa.accounts.models import LoginFailure
from hirfa.accounts.roles import Role
from hirfa.accounts.services import create_api_token
from hirfa.audit.models import AuditEntry
from hirfa.core.errors import Forbidden
from tests.factories import DEFAULT_PASSWORD, UserFactory, national, officer_of

pytestmark = pytest.mark.django_db

WORKSPACE = "/accounts/workspace/"
ENROL = "/accounts/2fa/enrol/"
VERIFY = "/accounts/2fa/verify/"


@pytest.fixture(autouse=True)
def required_roles(settings):
    settings.SECOND_FACTOR_REQUIRED_ROLES = ["admin", "auditor"]


class Clock:
    """The time the authenticator app and the server read, moved by the test."""

    def __init__(self):
        self.now = time.time()

    def time(self):
        return self.now

    def advance(self, seconds=30):
        self.now += seconds


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("django_otp.plugins.otp_totp.models.time", clock)
    return clock


def code_of(device, clock) -> str:
    """What the phone's app shows now, computed from the device's key."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = clock.now
    return f"{totp.token():0{device.digits}d}"


def a_wrong_code(device, clock) -> str:
    return f"{(int(code_of(device, clock)) + 1) % 1_000_000:06d}"


def seconds_pass():
    """Long enough for django-otp's back-off after a wrong code (1, 2, 4… seconds)."""
    long_ago = timezone.now() - timedelta(hours=1)
    TOTPDevice.objects.update(throttling_failure_timestamp=long_ago)
    StaticDevice.objects.update(throttling_failure_timestamp=long_ago)


@pytest.fixture
def admin():
    return national(Role.ADMIN, username="n.bennani", is_staff=True, is_superuser=True)


@pytest.fixture
def officer():
    return officer_of("09.581", username="k.oubella")


def logged_in(user) -> Client:
    """A browser that has given the password (only)."""
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    return client


def enrol(user, clock) -> list[str]:
    """Give `user` an authenticator app; returns the recovery codes."""
    device = second_factor.start_enrolment(user=user)
    _device, codes = second_factor.confirm_enrolment(user=user, code=code_of(device, clock))
    clock.advance()  # the code just used cannot be used again
    return codes


def test_an_administrator_without_a_second_factor_is_sent_to_enrol_before_any_page(admin):
    client = logged_in(admin)
    response = client.get(WORKSPACE)
    assert response.status_code == 302
    assert response["Location"] == f"{ENROL}?next=%2Faccounts%2Fworkspace%2F"


def test_the_enrolment_page_shows_the_qr_code_and_the_key_in_text(admin):
    response = logged_in(admin).get(ENROL)
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    key = b32encode(device.bin_key).decode()
    assert "<svg" in response.content.decode()
    assert key[:4] + " " + key[4:8] in response.content.decode()


def test_showing_the_enrolment_page_again_keeps_the_same_key(admin):
    client = logged_in(admin)
    client.get(ENROL)
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_enrolment_with_a_wrong_code_fails(admin, clock):
    client = logged_in(admin)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=admin)
    response = client.post(ENROL, {"code": a_wrong_code(device, clock)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(WORKSPACE).status_code == 302


def test_enrolment_with_the_right_code_shows_ten_recovery_codes_once(admin, clock):
    client = logged_in(admin)
    client.get(f"{ENROL}?next={WORKSPACE}")
    device = TOTPDevice.objects.get(user=admin)
    response = client.post(ENROL, {"code": code_of(device, clock), "next": WORKSPACE})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/recovery-codes/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    shown = re.findall(r"<code>([a-z2-7]{4}-[a-z2-7]{4})</code>", page.content.decode())
    assert len(shown) == 10
    assert sorted(c.replace("-", "") for c in shown) == sorted(
        StaticToken.objects.filter(device__user=admin).values_list("token", flat=True)
    )
    assert client.get(response["Location"]).status_code == 302  # shown once only
    assert client.get(WORKSPACE).status_code == 200


def test_enrolment_after_a_wrong_code_succeeds_with_the_right_one(admin, clock):
    client = logged_in(admin)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=admin)
    client.post(ENROL, {"code": a_wrong_code(device, clock)})
    seconds_pass()
    assert client.post(ENROL, {"code": code_of(device, clock)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_the_next_login_asks_the_code_and_lets_in_only_with_the_right_code(admin, clock):
    enrol(admin, clock)
    device = TOTPDevice.objects.get(user=admin)
    client = logged_in(admin)
    response = client.get(WORKSPACE)
    assert response["Location"] == f"{VERIFY}?next=%2Faccounts%2Fworkspace%2F"
    wrong = client.post(VERIFY, {"code": a_wrong_code(device, clock), "next": WORKSPACE})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert client.get(WORKSPACE).status_code == 302
    seconds_pass()
    right = client.post(VERIFY, {"code": code_of(device, clock), "next": WORKSPACE})
    assert right.status_code == 302
    assert right["Location"] == WORKSPACE
    assert client.get(WORKSPACE).status_code == 200


def test_a_code_cannot_be_used_twice(admin, clock):
    enrol(admin, clock)
    device = TOTPDevice.objects.get(user=admin)
    code = code_of(device, clock)
    assert logged_in(admin).post(VERIFY, {"code": code}).status_code == 302
    assert logged_in(admin).post(VERIFY, {"code": code}).status_code == 200


def test_a_code_typed_with_arabic_indic_digits_is_accepted(admin, clock):
    enrol(admin, clock)
    code = code_of(TOTPDevice.objects.get(user=admin), clock)
    arabic = code.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert logged_in(admin).post(VERIFY, {"code": arabic}).status_code == 302


def test_a_recovery_code_works_once(admin, clock):
    codes = enrol(admin, clock)
    first = logged_in(admin)
    assert first.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert first.get(WORKSPACE).status_code == 200
    again = logged_in(admin).post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200
    assert StaticToken.objects.filter(device__user=admin).count() == 9


def test_using_a_recovery_code_says_how_many_are_left(admin, clock):
    codes = enrol(admin, clock)
    response = logged_in(admin).post(VERIFY, {"code": codes[3], "next": WORKSPACE}, follow=True)
    (notice,) = [str(message) for message in response.context["messages"]]
    assert "9" in notice


def test_an_officer_whose_role_does_not_require_it_logs_in_without_a_second_factor(officer):
    assert logged_in(officer).get(WORKSPACE).status_code == 200


def test_an_officer_may_enrol_and_is_then_asked_the_code_at_each_login(officer, clock):
    enrol(officer, clock)
    client = logged_in(officer)
    assert client.get(WORKSPACE)["Location"].startswith(VERIFY)
    code = code_of(TOTPDevice.objects.get(user=officer), clock)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    assert client.get(WORKSPACE).status_code == 200


def test_an_officer_may_turn_it_off_but_an_administrator_may_not(officer, admin, clock):
    enrol(officer, clock)
    second_factor.turn_off(user=officer)
    assert not second_factor.has_second_factor(officer)
    enrol(admin, clock)
    with pytest.raises(Forbidden):
        second_factor.turn_off(user=admin)


def test_an_artisan_cannot_enrol():
    artisan = UserFactory(role=Role.ARTISAN, username="fadma")
    client = Client()
    client.force_login(artisan)
    assert client.get(ENROL).status_code == 403


def test_the_admin_site_is_not_reachable_without_the_second_factor(admin, clock):
    enrol(admin, clock)
    client = logged_in(admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fadmin%2F"
    client.post(VERIFY, {"code": code_of(TOTPDevice.objects.get(user=admin), clock)})
    assert client.get("/admin/").status_code == 200


def test_the_admin_site_sends_an_administrator_without_an_app_to_enrol(admin):
    response = logged_in(admin).get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)


def test_whoever_has_only_the_password_cannot_replace_the_app(admin, clock):
    enrol(admin, clock)
    response = logged_in(admin).get(ENROL)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=admin).count() == 1


def test_wrong_codes_count_like_wrong_passwords_and_then_lock_the_second_step(
    admin, clock, settings
):
    settings.LOGIN_MAX_FAILURES = 3
    enrol(admin, clock)
    device = TOTPDevice.objects.get(user=admin)
    client = logged_in(admin)
    for _ in range(3):
        client.post(VERIFY, {"code": a_wrong_code(device, clock)})
        seconds_pass()
    response = client.post(VERIFY, {"code": code_of(device, clock)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert client.get(WORKSPACE).status_code == 302


def test_a_right_password_does_not_clear_the_count_of_wrong_codes(admin, clock, settings):
    settings.LOGIN_MAX_FAILURES = 2
    enrol(admin, clock)
    device = TOTPDevice.objects.get(user=admin)
    for _ in range(2):
        logged_in(admin).post(VERIFY, {"code": a_wrong_code(device, clock)})
        seconds_pass()
    assert LoginFailure.objects.filter(username="2fa:n.bennani").count() == 2
    response = logged_in(admin).post(VERIFY, {"code": code_of(device, clock)})
    assert response.status_code == 200


def test_right_after_a_wrong_code_the_app_must_wait_a_little(admin, clock):
    enrol(admin, clock)
    device = TOTPDevice.objects.get(user=admin)
    client = logged_in(admin)
    client.post(VERIFY, {"code": a_wrong_code(device, clock)})
    response = client.post(VERIFY, {"code": code_of(device, clock)})
    assert response.status_code == 200
    seconds_pass()
    assert client.post(VERIFY, {"code": code_of(device, clock)}).status_code == 302


def test_the_lock_ends_when_the_window_has_passed(admin, clock, settings):
    settings.LOGIN_MAX_FAILURES = 1
    enrol(admin, clock)
    device = TOTPDevice.objects.get(user=admin)
    client = logged_in(admin)
    client.post(VERIFY, {"code": a_wrong_code(device, clock)})
    seconds_pass()
    LoginFailure.objects.update(at=timezone.now() - timedelta(days=1))
    assert client.post(VERIFY, {"code": code_of(device, clock)}).status_code == 302


def test_the_api_with_a_bearer_token_is_unaffected(admin):
    _token, secret = create_api_token(user=admin, name="ministry dashboard", created_by=None)
    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json()["username"] == "n.bennani"


def test_the_api_does_not_take_a_session_that_has_not_shown_its_second_factor(admin):
    assert logged_in(admin).get("/api/v1/me").status_code == 401


def test_the_public_card_verification_and_logging_out_need_no_second_factor(admin):
    client = logged_in(admin)
    assert client.get("/verify/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/api/v1/me").status_code == 401


def test_the_setting_decides_which_roles_require_it(admin, officer, settings):
    settings.SECOND_FACTOR_REQUIRED_ROLES = ["officer"]
    assert logged_in(officer).get(WORKSPACE)["Location"].startswith(ENROL)
    assert logged_in(admin).get(WORKSPACE).status_code == 200


def test_with_no_role_listed_nobody_must_use_it(admin, settings):
    settings.SECOND_FACTOR_REQUIRED_ROLES = []
    assert logged_in(admin).get(WORKSPACE).status_code == 200


@pytest.mark.parametrize("roles", [["artisan"], ["admin", "superuser"]])
def test_a_setting_naming_no_staff_role_stops_the_start(settings, roles):
    settings.SECOND_FACTOR_REQUIRED_ROLES = roles
    with pytest.raises(ImproperlyConfigured):
        RequireSecondFactorMiddleware(lambda request: None)


def test_enrolment_recovery_codes_and_resets_are_audited(admin, officer, clock):
    codes = enrol(officer, clock)
    logged_in(officer).post(VERIFY, {"code": codes[0]})
    second_factor.renew_recovery_codes(user=officer)
    second_factor.reset(user=officer, by=admin)
    assert list(
        AuditEntry.objects.filter(object_id=str(officer.pk)).order_by("id").values_list("action")
    ) == [
        ("account.second_factor_enrolled",),
        ("account.recovery_code_used",),
        ("account.recovery_codes_renewed",),
        ("account.second_factor_reset",),
    ]


def test_an_administrator_resets_a_lost_second_factor_and_the_account_enrols_again(admin, clock):
    auditor = national(Role.AUDITOR, username="s.tazi")
    enrol(auditor, clock)
    second_factor.reset(user=auditor, by=admin)
    assert not TOTPDevice.objects.filter(user=auditor).exists()
    assert logged_in(auditor).get(WORKSPACE)["Location"].startswith(ENROL)


def test_only_a_user_manager_may_reset_a_second_factor(admin, officer):
    with pytest.raises(Forbidden):
        second_factor.reset(user=admin, by=officer)


def test_new_recovery_codes_replace_the_old_ones(admin, clock):
    old = enrol(admin, clock)
    new = second_factor.renew_recovery_codes(user=admin)
    assert not set(old) & set(new)
    assert logged_in(admin).post(VERIFY, {"code": old[0]}).status_code == 200
    seconds_pass()
    assert logged_in(admin).post(VERIFY, {"code": new[0]}).status_code == 302


def verified(user, clock) -> Client:
    """A browser that has given the password and the app's code."""
    client = logged_in(user)
    code = code_of(TOTPDevice.objects.get(user=user, confirmed=True), clock)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    clock.advance()
    return client


def test_an_administrator_resets_a_second_factor_from_the_admin_site(admin, officer, clock):
    enrol(officer, clock)
    enrol(admin, clock)
    response = verified(admin, clock).post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [officer.pk]},
    )
    assert response.status_code == 302
    assert not second_factor.has_second_factor(officer)
    assert AuditEntry.objects.filter(action="account.second_factor_reset").count() == 1


def test_the_admin_site_shows_no_device_keys(admin, clock):
    enrol(admin, clock)
    client = verified(admin, clock)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404
