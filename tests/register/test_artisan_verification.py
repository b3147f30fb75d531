import pytest

from hirfa.register import services
from hirfa.register.numbers import format_number, make_number
from tests.factories import artisan_account, officer_of
from tests.register.helpers import (
    ARABIC_PAGE,
    TIZNIT,
    approved_registration_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration():
    return approved_registration_of(artisan_account())


def verify(client, number, code):
    return client.get(f"/verify/attestation/{number}/{code}/")


def test_a_genuine_attestation_shows_the_name_activity_province_and_status(client, registration):
    response = verify(client, registration.number, services.verification_code(registration))
    assert response.status_code == 200
    assert response.context["outcome"] == "genuine"
    content = response.content.decode()
    for text in (
        "Fatima AIT LAHCEN",
        "فاطمة آيت لحسن",
        registration.principal_activity.name_ar,
        registration.province.name_ar,
        format_number(registration.number),
    ):
        assert text in content
    assert response.context["status"] == "active"


def test_the_verification_page_shows_nothing_more_than_the_attestation(client, registration):
    response = verify(client, registration.number, services.verification_code(registration))
    content = response.content.decode()
    person = registration.person
    for private in (person.cnie, person.phone, person.address, str(person.birth_date.year)):
        assert private not in content
    assert response["X-Robots-Tag"].startswith("noindex")


def test_the_code_may_be_typed_in_lower_case_without_dashes(client, registration):
    code = services.verification_code(registration).replace("-", "").lower()
    assert verify(client, registration.number, code).context["outcome"] == "genuine"


def test_a_wrong_code_says_not_genuine_and_names_nobody(client, registration):
    response = verify(client, registration.number, "AAAA-BBBB-CCCC")
    assert response.status_code == 200
    assert response.context["outcome"] == "not_genuine"
    assert "AIT LAHCEN" not in response.content.decode()


def test_a_number_with_a_typing_mistake_says_mistyped(client, registration):
    number = registration.number
    mistyped = number[:-1] + str((int(number[-1]) + 1) % 10)
    response = verify(client, mistyped, services.verification_code(registration))
    assert response.context["outcome"] == "mistyped"


def test_a_malformed_number_says_mistyped_too(client):
    response = verify(client, "12ab", "AAAA-BBBB-CCCC")
    assert response.status_code == 200
    assert response.context["outcome"] == "mistyped"


def test_a_well_formed_number_nobody_holds_says_unknown(client, registration):
    response = verify(client, make_number(999_999_999), "AAAA-BBBB-CCCC")
    assert response.context["outcome"] == "unknown"


def test_a_suspended_registration_is_shown_as_suspended(client, registration):
    services.suspend(
        officer=officer_of(TIZNIT), registration=registration, reason="Control", until=None
    )
    response = verify(client, registration.number, services.verification_code(registration))
    assert response.context["outcome"] == "genuine"
    assert response.context["status"] == "suspended"
    assert "Control" not in response.content.decode()


def test_unicode_junk_in_the_code_does_not_crash(client, registration):
    response = verify(client, registration.number, "ⵣ٣é%F0%9F%98%80")
    assert response.status_code == 200
    assert response.context["outcome"] == "not_genuine"


def test_the_form_sends_the_typed_number_and_code_to_the_check(client, registration):
    code = services.verification_code(registration)
    response = client.get(
        "/verify/attestation/", {"number": format_number(registration.number), "code": code.lower()}
    )
    assert response["Location"] == f"/verify/attestation/{registration.number}/{code}/"


def test_the_form_shows_a_mistyped_number_beside_the_field(client):
    response = client.get("/verify/attestation/", {"number": "123", "code": "AAAA"})
    assert response.status_code == 200
    assert response.context["form"].has_error("number")


def test_the_public_pages_are_in_arabic_right_to_left_without_logging_in(client, registration):
    code = services.verification_code(registration)
    for url in (
        "/verify/attestation/",
        f"/verify/attestation/{registration.number}/{code}/",
        f"/verify/attestation/{registration.number}/WRONG/",
        "/verify/attestation/0000/WRONG/",
        f"/verify/attestation/{make_number(999_999_999)}/WRONG/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert ARABIC_PAGE in response.content, url
