import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def test_the_home_page_explains_the_register_to_anyone(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["navigation"]
    assert b"/accounts/login/" in response.content


def test_an_unknown_page_is_a_translated_404_page(client):
    response = client.get("/nowhere/", HTTP_COOKIE="hirfa_language=fr")
    assert response.status_code == 404
    assert b'lang="fr"' in response.content


def test_an_unknown_api_path_answers_in_the_error_shape(client):
    response = client.get("/api/v1/nowhere")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert set(response.json()) == {"code", "message", "fields"}


@override_settings(ALLOWED_HOSTS=["example.ma"])
def test_a_bad_host_header_gets_a_400_page_not_a_crash(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400


def test_the_openapi_schema_and_docs_are_published(client):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["info"]["version"] == "1"
    docs = client.get("/api/docs", follow=True)
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()


def test_static_files_are_served_with_the_fonts_for_arabic_and_tifinagh():
    from django.contrib.staticfiles import finders

    assert finders.find("hirfa/fonts/NotoSansArabic-Regular.ttf")
    assert finders.find("hirfa/fonts/NotoSansTifinagh-Regular.ttf")
    assert finders.find("hirfa/js/htmx.min.js")
