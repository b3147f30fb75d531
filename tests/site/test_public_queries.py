"""The public pages ask the database nothing that changes only once a release (ADR 0058)."""

import json

import pytest

from hirfa.crafts.services import load_nomenclature
from tests.factories import issued_card

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def signing_key(settings):
    from tests.factories import use_test_signing_key

    return use_test_signing_key(settings)


def test_the_home_page_asks_a_visitor_s_database_nothing_once_warm(
    client, django_assert_num_queries
):
    client.get("/")
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


def test_the_verify_page_asks_the_database_nothing_once_warm(client, django_assert_num_queries):
    client.get("/verify/")
    with django_assert_num_queries(0):
        assert client.get("/verify/").status_code == 200


def test_the_verify_page_in_another_language_reads_its_names_once(
    client, django_assert_num_queries
):
    client.get("/verify/")
    with django_assert_num_queries(2):
        client.get("/verify/", headers={"X-Verify-Language": "fr"})
    with django_assert_num_queries(0):
        client.get("/verify/", headers={"X-Verify-Language": "fr"})


def test_verifying_a_card_asks_only_its_live_status(client, run_jobs, django_assert_num_queries):
    card = issued_card(run_jobs)
    client.logout()
    body = json.dumps({"qr": card.qr_text})
    client.post("/api/v1/cards/verify", body, content_type="application/json")
    with django_assert_num_queries(1):
        response = client.post("/api/v1/cards/verify", body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["verdict"] == "valid"


def test_loading_a_new_list_of_crafts_shows_on_the_home_page_at_once(
    client, django_capture_on_commit_callbacks
):
    notice = 'class="notice"'
    assert notice in client.get("/").text  # the shipped list is provisional
    with django_capture_on_commit_callbacks(execute=True):
        load_nomenclature(provisional=False, version="official-1")
    assert notice not in client.get("/").text


def test_each_visitor_of_a_kept_page_gets_their_own_working_csrf_token(client):
    from django.test import Client

    first = client.get("/")
    other = Client(enforce_csrf_checks=True)
    second = other.get("/")
    token = second.text.split('name="csrf-token" content="')[1].split('"')[0]
    assert token != first.text.split('name="csrf-token" content="')[1].split('"')[0]
    assert "hirfa-csrf-placeholder" not in second.text
    # The token of the kept page is accepted with the visitor's cookie (language switch).
    response = other.post("/language/", {"language": "fr", "next": "/"}, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 302


def test_a_signed_in_user_gets_their_own_home_page(client, officer):
    client.get("/")
    client.force_login(officer)
    assert officer.get_full_name() in client.get("/").text


def test_the_verify_page_is_kept_per_language_asked(client):
    arabic = client.get("/verify/")
    french = client.get("/verify/", headers={"X-Verify-Language": "fr"})
    again = client.get("/verify/", headers={"X-Verify-Language": "fr"})
    assert french["Content-Language"] == again["Content-Language"] == "fr"
    assert arabic["Content-Language"] == "ar"
    assert again["Cache-Control"] == "no-cache"


def test_any_other_value_of_the_language_header_is_answered_from_the_same_kept_page(client):
    from hirfa.core import pagecache

    client.get("/verify/")
    for index in range(5):
        client.get("/verify/", headers={"X-Verify-Language": f"xx-{index}"})
    assert len(pagecache._pages._values) == 1


@pytest.mark.parametrize("path", ["/", "/verify/"])
def test_a_kept_page_is_the_rendered_page_with_the_visitor_s_own_token(client, path):
    from django.test import Client

    def token(response) -> bytes:
        return response.content.split(b'name="csrf-token" content="')[1].split(b'"')[0]

    rendered = client.get(path)
    kept = Client().get(path)
    assert token(kept) != token(rendered)
    assert kept.content == rendered.content.replace(token(rendered), token(kept))
