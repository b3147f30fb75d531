import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone, translation
from django.utils.html import escape

from hirfa.accounts import services
from hirfa.accounts.models import PhoneVerification, User
from hirfa.accounts.roles import Role
from hirfa.core.errors import DomainError
from hirfa.notifications import backends
from tests.factories import artisan_account
from tests.register.helpers import (
    ARABIC_PAGE,
    PASSWORD,
    PHONE,
    PHONE_AS_TYPED,
    last_code,
)

pytestmark = pytest.mark.django_db

NOTICE_09_08 = (
    "Personal data (Law 09-08): the National Register of Traditional Crafts keeps your phone "
    "number and your name to open your account, send you codes and news of your file by SMS, "
    "and keep the register. Only the register's services, the chambers of crafts and, for your "
    "health insurance, the CNSS receive them. You have the right to see, correct and object to "
    "the use of your data: ask in your space or at your chamber of crafts."
)


def sign_up(client, **overrides):
    data = {
        "phone": PHONE_AS_TYPED,
        "first_name": "Fatima",
        "last_name": "Ait Lahcen",
        "password": PASSWORD,
        "password2": PASSWORD,
    } | overrides
    return client.post("/accounts/signup/", data)


def confirm(client, code):
    return client.post("/accounts/signup/confirm/", {"code": code})


def test_signing_up_texts_a_code_that_opens_the_account_and_logs_the_artisan_in(
    client, django_capture_on_commit_callbacks, run_jobs
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/signup/confirm/"
    user = User.objects.get(username=PHONE)
    assert (user.is_active, user.role, user.phone) == (False, Role.ARTISAN, PHONE)

    run_jobs()
    (sms,) = backends.outbox
    assert sms.address == PHONE
    code = last_code()
    assert code in sms.body

    response = confirm(client, code)
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    user.refresh_from_db()
    assert user.is_active
    assert client.get("/me/").context["user"] == user


def test_the_code_is_kept_only_as_a_digest_of_code_and_phone(client):
    sign_up(client)
    verification = PhoneVerification.objects.get(phone=PHONE)
    code = last_code()
    assert verification.code_digest == hashlib.sha256(f"{code}{PHONE}".encode()).hexdigest()
    assert verification.expires_at - verification.created_at == timedelta(minutes=10)


def test_five_wrong_codes_lock_the_code_even_against_the_right_one(client):
    sign_up(client)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert confirm(client, wrong).status_code == 200
    response = confirm(client, code)
    assert response.status_code == 200
    assert response.context["form"].has_error("code")
    assert not User.objects.get(phone=PHONE).is_active


def test_a_wrong_code_is_shown_beside_the_field_with_the_tries_left(client):
    sign_up(client)
    response = confirm(client, "12")
    assert "4" in response.context["form"].errors["code"][0]
    assert PhoneVerification.objects.get(phone=PHONE).attempts == 1


def test_an_expired_code_is_refused(client):
    sign_up(client)
    PhoneVerification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = confirm(client, last_code())
    assert response.context["form"].has_error("code")
    assert not User.objects.get(phone=PHONE).is_active


def test_a_phone_with_an_active_account_cannot_sign_up_again(client):
    artisan_account(PHONE)
    response = sign_up(client)
    assert response.status_code == 200
    with translation.override("ar"):
        expected = translation.gettext("An account already uses this phone number. Log in.")
    assert response.context["form"].errors["phone"] == [expected]
    assert not PhoneVerification.objects.exists()


def test_at_most_three_codes_go_to_a_phone_in_an_hour(client):
    for _ in range(3):
        sign_up(client)
    response = sign_up(client)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert PhoneVerification.objects.filter(phone=PHONE).count() == 3


def test_a_new_code_makes_the_previous_one_useless(client):
    sign_up(client)
    first = last_code()
    client.post("/accounts/signup/resend/")
    second = last_code()
    if first != second:
        assert confirm(client, first).context["form"].has_error("code")
    assert confirm(client, second).status_code == 302


def test_a_weak_password_is_refused_beside_the_field_and_no_account_is_made(client):
    response = sign_up(client, password="12345678", password2="12345678")
    assert response.status_code == 200
    assert response.context["form"].has_error("password")
    assert not User.objects.exists()


def test_two_different_passwords_are_refused_beside_the_second(client):
    response = sign_up(client, password2="something-else-2026")
    assert response.context["form"].has_error("password2")
    assert not User.objects.exists()


def test_a_number_that_is_not_a_moroccan_mobile_is_refused_beside_the_field(client):
    response = sign_up(client, phone="0528 12 34 56")
    assert response.context["form"].has_error("phone")
    assert not User.objects.exists()


def test_an_artisan_logs_in_with_the_phone_typed_the_moroccan_way(client):
    artisan_account(PHONE)
    response = client.post(
        "/accounts/login/", {"username": PHONE_AS_TYPED, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert client.get("/api/v1/me").json()["username"] == PHONE


def test_an_unconfirmed_account_cannot_log_in(client):
    sign_up(client)
    client.logout()
    response = client.post("/accounts/login/", {"username": PHONE_AS_TYPED, "password": PASSWORD})
    assert response.status_code == 200
    assert client.get("/api/v1/me").status_code == 401


def test_the_service_refuses_a_confirmation_for_a_phone_nobody_signed_up_with():
    with pytest.raises(DomainError) as error:
        services.confirm_phone("0699999999", "123456")
    assert error.value.code == "no_code"


def test_the_sign_up_pages_are_in_arabic_right_to_left_with_the_law_09_08_notice(client):
    page = client.get("/accounts/signup/")
    assert page.status_code == 200
    assert ARABIC_PAGE in page.content
    with translation.override("ar"):
        notice = translation.gettext(NOTICE_09_08)
    assert escape(notice) in page.content.decode()
    sign_up(client)
    page = client.get("/accounts/signup/confirm/")
    assert page.status_code == 200
    assert ARABIC_PAGE in page.content


def test_the_confirmation_page_without_a_sign_up_sends_back_to_the_start(client):
    response = client.get("/accounts/signup/confirm/")
    assert response["Location"] == "/accounts/signup/"
