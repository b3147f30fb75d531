from datetime import datetime

import pytest
from django.conf import settings
from django.utils import formats, translation

pytestmark = pytest.mark.django_db


def test_pages_are_arabic_and_right_to_left_by_default(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert b'<html lang="ar" dir="rtl">' in response.content


@pytest.mark.parametrize(("code", "direction"), [("fr", "ltr"), ("en", "ltr"), ("zgh", "ltr")])
def test_the_switcher_sets_the_language_for_the_next_pages(client, code, direction):
    response = client.post("/language/", {"language": code, "next": "/crafts/"})
    assert response.status_code == 302
    assert response["Location"] == "/crafts/"
    page = client.get("/crafts/")
    assert f'<html lang="{code}" dir="{direction}">'.encode() in page.content


def test_an_unknown_language_is_refused_with_a_message(client):
    response = client.post("/language/", {"language": "xx"})
    assert response.status_code == 400
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert b'lang="ar"' in response.content


def test_the_switcher_never_redirects_to_another_site(client):
    response = client.post("/language/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_api_clients_are_answered_in_their_accept_language(client):
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="fr-MA,fr;q=0.9")
    assert response.status_code == 401
    assert response["Content-Language"] == "fr"


def test_an_api_client_with_an_unsupported_language_gets_arabic(client):
    response = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="de-DE")
    assert response["Content-Language"] == "ar"


def test_the_switcher_offers_every_language_in_its_own_script(client):
    page = client.get("/").content.decode()
    for label in ["العربية", "ⵜⴰⵎⴰⵣⵉⵖⵜ", "Français", "English"]:
        assert label in page


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("ar", "25\u200f/11\u200f/2026 16:12"),
        ("zgh", "25/11/2026 16:12"),
        ("fr", "25/11/2026 16:12"),
    ],
)
def test_dates_and_times_are_written_day_first_on_24_hours(language, expected):
    moment = datetime(2026, 11, 25, 16, 12)
    with translation.override(language):
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == expected


def test_an_arabic_date_and_time_reads_day_month_year():
    with translation.override("ar"):
        text = formats.date_format(datetime(2026, 11, 25, 16, 12), "DATETIME_FORMAT")
    assert text == "25 نوفمبر 2026، 16:12"
