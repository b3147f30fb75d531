"""/status/: where a file stands, asked without an account with the file's reference and a
code sent by SMS to the phone written in the file. Nothing is revealed to anyone else."""

import re

import pytest

from hirfa.notifications.models import Notification
from hirfa.register.numbers import dossier_reference, parse_reference
from tests.register.helpers import PHONE, submitted

pytestmark = pytest.mark.django_db

OTHER_PHONE = "+212677889900"


@pytest.fixture
def client(client):
    client.cookies["hirfa_language"] = "en"
    return client


@pytest.fixture
def dossier(agent):
    """A file filed by a chamber agent, with the artisan's phone PHONE, received."""
    return submitted(agent, cnie="JK123456", phone="0612345678")


@pytest.fixture
def other_dossier(agent):
    return submitted(agent, cnie="JK654321", phone="0677889900")


def status_code_sent(phone=PHONE) -> str:
    body = (
        Notification.objects.filter(address=phone, event="account.phone_code")
        .order_by("-id")
        .first()
        .body
    )
    return re.search(r"\b(\d{6})\b", body).group(1)


def texts_to(phone=PHONE) -> int:
    return Notification.objects.filter(address=phone, event="account.phone_code").count()


def ask(client, reference):
    return client.post("/status/", {"reference": reference})


def answer(client, code):
    return client.post("/status/code/", {"code": code})


def test_a_reference_is_the_id_with_a_check_digit_and_reads_back_as_typed():
    assert dossier_reference(123) == "000123-" + dossier_reference(123)[-1]
    assert parse_reference(dossier_reference(123)) == 123
    assert parse_reference(" ٠٠٠١٢٣ " + dossier_reference(123)[-1]) == 123
    assert parse_reference("000124-" + dossier_reference(123)[-1]) is None
    assert parse_reference("12") is None
    assert parse_reference("abc") is None


def test_the_reference_and_the_code_show_where_the_file_stands_in_words(client, dossier):
    response = ask(client, dossier_reference(dossier.pk))
    assert response.status_code == 302
    assert response["Location"] == "/status/code/"
    assert texts_to() == 1
    response = answer(client, status_code_sent())
    assert response.status_code == 200
    page = response.content.decode()
    assert "The file was received. An officer of the provincial directorate" in page
    assert dossier_reference(dossier.pk) in page
    assert "submitted" not in page


def test_the_receipts_qr_link_fills_the_reference_in(client, dossier):
    reference = dossier_reference(dossier.pk)
    response = client.get(f"/status/?ref={reference}")
    assert response.status_code == 200
    assert f'value="{reference}"' in response.content.decode()


def test_an_unknown_reference_gets_the_same_answer_and_no_sms(client, dossier):
    response = ask(client, dossier_reference(dossier.pk + 1000))
    assert response.status_code == 302
    assert response["Location"] == "/status/code/"
    assert Notification.objects.filter(event="account.phone_code").count() == 0
    response = answer(client, "123456")
    assert response.status_code == 200
    assert "The reference or the code is not right" in response.content.decode()


def test_a_wrong_code_reveals_nothing_of_the_file(client, dossier):
    ask(client, dossier_reference(dossier.pk))
    code = status_code_sent()
    response = answer(client, "000000" if code != "000000" else "111111")
    page = response.content.decode()
    assert response.status_code == 200
    assert "The reference or the code is not right" in page
    assert "officer" not in page and dossier.person.last_name_latin not in page


def test_the_code_sent_for_a_file_does_not_open_another_file(client, dossier, other_dossier):
    ask(client, dossier_reference(dossier.pk))
    code = status_code_sent()
    ask(client, dossier_reference(other_dossier.pk))
    response = answer(client, code)
    assert "The reference or the code is not right" in response.content.decode()


def test_a_mistyped_reference_is_refused_beside_the_field(client):
    response = ask(client, "000123-")
    assert response.status_code == 200
    assert response.context["form"].errors["reference"]


def test_too_many_attempts_from_one_address_are_refused(client, dossier, settings):
    settings.LOGIN_MAX_FAILURES = 3
    ask(client, dossier_reference(dossier.pk))
    code = status_code_sent()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        answer(client, wrong)
    response = answer(client, code)
    assert "Too many attempts" in response.content.decode()


def test_the_code_page_without_a_reference_sends_back_to_the_first_step(client):
    response = client.get("/status/code/")
    assert response.status_code == 302
    assert response["Location"] == "/status/"
