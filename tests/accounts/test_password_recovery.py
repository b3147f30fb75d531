"""A forgotten password recovered by SMS (decision 0052): the artisan gives the phone of the
account, receives a code, types it with a new password and is logged in. A phone with no
account gets the same answer and no SMS; codes are limited as at the sign-up."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.accounts.models import PhoneVerification, User
from hirfa.audit.models import AuditEntry
from hirfa.notifications.models import Notification
from tests.factories import DEFAULT_PASSWORD, artisan_account, officer_of
from tests.register.helpers import PHONE, PHONE_AS_TYPED, last_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "argan-de-tafraout-2027"
UNKNOWN_PHONE = "+212698765432"


@pytest.fixture
def client(client):
    """Pages in English, so that messages can be read in the tests."""
    client.cookies["hirfa_language"] = "en"
    return client


def ask(client, phone=PHONE_AS_TYPED):
    return client.post("/accounts/password-recovery/", {"phone": phone})


def answer(client, code, password=NEW_PASSWORD, password2=None):
    data = {"code": code, "password": password, "password2": password2 or password}
    return client.post("/accounts/password-recovery/code/", data)


def page_without_secrets(client, phone) -> str:
    """The code page, its phone number, tokens and nonces blanked."""
    page = client.get("/accounts/password-recovery/code/").content.decode()
    return re.sub(r"[A-Za-z0-9_+/=-]{20,}", "…", page.replace(phone, "PHONE"))


def texts_to(phone):
    return Notification.objects.filter(address=phone, event="account.phone_code").count()


def test_the_login_page_links_to_the_recovery_by_sms(client):
    response = client.get("/accounts/login/")
    assert b'href="/accounts/password-recovery/"' in response.content


def test_a_code_by_sms_and_a_new_password_log_the_artisan_in(client):
    user = artisan_account(PHONE)
    response = ask(client)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-recovery/code/"

    response = answer(client, last_code())
    assert response.status_code == 302
    assert response["Location"] == "/me/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.get("/me/").context["user"] == user
    assert AuditEntry.objects.filter(action="account.password_recovered").count() == 1


def test_the_new_password_opens_the_account_at_the_login_with_the_phone_number(client):
    artisan_account(PHONE)
    ask(client)
    answer(client, last_code())
    client.logout()
    response = client.post(
        "/accounts/login/", {"username": PHONE_AS_TYPED, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/me/"


def test_a_phone_with_no_account_gets_the_same_answer_and_no_sms(client):
    known, unknown = client, client.__class__()
    unknown.cookies["hirfa_language"] = "en"
    artisan_account(PHONE)
    known_response = ask(known)
    unknown_response = ask(unknown, "06 98 76 54 32")
    assert (known_response.status_code, known_response["Location"]) == (
        unknown_response.status_code,
        unknown_response["Location"],
    )
    assert page_without_secrets(known, PHONE) == page_without_secrets(unknown, UNKNOWN_PHONE)
    assert texts_to(PHONE) == 1
    assert texts_to(UNKNOWN_PHONE) == 0


def test_a_guess_for_a_phone_with_no_account_is_refused_like_a_wrong_code(client):
    ask(client, "06 98 76 54 32")
    response = answer(client, "123456")
    assert response.status_code == 200
    assert "This code is not right. You may try 4 more times." in response.content.decode()
    assert not User.objects.filter(phone=UNKNOWN_PHONE).exists()


def test_a_staff_account_with_a_phone_receives_no_code(client):
    officer_of("09.581", username="officer.tiznit", phone=PHONE)
    response = ask(client)
    assert response.status_code == 302
    assert texts_to(PHONE) == 0


def test_a_wrong_code_says_how_many_attempts_are_left_and_changes_nothing(client):
    user = artisan_account(PHONE)
    ask(client)
    response = answer(client, "000000" if last_code() != "000000" else "111111")
    assert response.status_code == 200
    assert "This code is not right. You may try 4 more times." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_five_wrong_codes_lock_the_code_even_against_the_right_one(client):
    user = artisan_account(PHONE)
    ask(client)
    code = last_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        answer(client, wrong)
    response = answer(client, code)
    assert "Too many wrong codes. Ask for a new code." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_an_expired_code_is_refused(client):
    artisan_account(PHONE)
    ask(client)
    PhoneVerification.objects.filter(phone=PHONE).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    response = answer(client, last_code())
    assert "This code has expired. Ask for a new code." in response.content.decode()


def test_a_fourth_code_in_an_hour_is_refused_for_a_known_and_an_unknown_phone_alike(client):
    artisan_account(PHONE)
    for phone in (PHONE_AS_TYPED, "06 98 76 54 32"):
        for _ in range(3):
            assert ask(client, phone).status_code == 302
        response = ask(client, phone)
        assert response.status_code == 200
        assert "Wait an hour and try again." in response.content.decode()
    assert texts_to(PHONE) == 3


def test_a_weak_new_password_is_refused_without_using_up_the_code(client):
    user = artisan_account(PHONE)
    ask(client)
    code = last_code()
    response = answer(client, code, password="123456789012")
    assert response.status_code == 200
    assert answer(client, code).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_two_different_new_passwords_are_refused(client):
    artisan_account(PHONE)
    ask(client)
    response = answer(client, last_code(), password2="autre-chose-2027")
    assert response.status_code == 200
    assert "The two passwords are not the same." in response.content.decode()


def test_a_number_that_is_not_a_mobile_number_is_refused_beside_the_field(client):
    response = ask(client, "hello")
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]


def test_the_code_page_without_a_phone_sends_back_to_the_first_step(client):
    response = client.get("/accounts/password-recovery/code/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/password-recovery/"


def test_asking_again_sends_a_new_code_and_the_old_one_dies(client):
    user = artisan_account(PHONE)
    ask(client)
    old = last_code()
    response = client.post("/accounts/password-recovery/resend/")
    assert response.status_code == 302
    new = last_code()
    if old != new:
        answer(client, old)
        user.refresh_from_db()
        assert user.check_password(DEFAULT_PASSWORD)
    assert answer(client, new).status_code == 302


def test_the_language_the_artisan_acts_in_is_kept_for_the_messages_sent_later(client):
    user = artisan_account(PHONE)
    client.force_login(user)
    client.cookies["hirfa_language"] = "zgh"
    client.get("/me/")
    user.refresh_from_db()
    assert user.language == ""  # reading writes nothing
    client.post("/me/apply/you/", {})
    user.refresh_from_db()
    assert user.language == "zgh"


def test_signing_up_keeps_the_language_of_the_page(client):
    client.cookies["hirfa_language"] = "zgh"
    client.post(
        "/accounts/signup/",
        {
            "phone": PHONE_AS_TYPED,
            "first_name": "Itto",
            "last_name": "Oubella",
            "password": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert User.objects.get(phone=PHONE).language == "zgh"
