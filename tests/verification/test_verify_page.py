"""The verification page, its service worker and the PDF reader, seen from the server."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F

from hirfa.cards import printing
from hirfa.core.languages import supported_codes
from hirfa.verification import views

from . import helpers

pytestmark = pytest.mark.django_db


def texts_of(response) -> dict:
    return response.context["texts"]


def test_the_page_needs_no_login_and_is_arabic_by_default(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert response["Content-Language"] == "ar"
    assert texts_of(response)["verdicts"]["valid"] == "صالحة"
    assert 'dir="rtl"' in response.content.decode()


def test_the_service_worker_gets_the_page_in_each_language(client):
    for language, valid in (("fr", "VALIDE"), ("en", "VALID"), ("ar", "صالحة")):
        response = client.get("/verify/", HTTP_X_VERIFY_LANGUAGE=language)
        assert response["Content-Language"] == language
        assert texts_of(response)["verdicts"]["valid"] == valid


def test_an_unknown_language_header_falls_back_to_the_visitors_language(client):
    response = client.get("/verify/", HTTP_X_VERIFY_LANGUAGE="xx")
    assert response["Content-Language"] == "ar"


def test_the_page_names_the_codes_a_card_carries(client):
    names = client.get("/verify/", HTTP_X_VERIFY_LANGUAGE="fr").context["names"]
    assert names["provinces"]["09.581"] == "Tiznit"
    assert names["categories"]["master"].startswith("Maître")
    assert names["activities"]


def test_the_page_offers_the_paper_attestation_check_at_its_new_address(client):
    content = client.get("/verify/").content.decode()
    assert 'action="/verify/attestation/"' in content
    assert client.get("/verify/attestation/").status_code == 200


def test_the_service_worker_is_served_for_the_verify_scope_with_its_assets(client):
    response = client.get("/verify/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    for asset in ("/static/hirfa/verify/rna.js", "/static/hirfa/verify/vendor/jsQR.js"):
        assert asset in body
    assert f"const LANGUAGES = {json.dumps(supported_codes())};" in body


def test_every_asset_the_worker_keeps_exists():
    from django.contrib.staticfiles import finders

    assert all(finders.find(name) for name in views.ASSETS)


def upload(client, name, data, content_type):
    return client.post("/verify/read/", {"file": SimpleUploadedFile(name, data, content_type)})


def test_a_card_pdf_sent_to_the_reader_gives_back_its_qr_text(client, run_jobs):
    card = helpers.real_card(run_jobs)
    response = upload(client, "card.pdf", printing.card_pdf(card), "application/pdf")
    assert response.status_code == 200
    assert json.loads(response.content)["texts"][0] == card.qr_text


def test_a_photo_sent_to_the_reader_gives_back_its_qr_text(client, run_jobs, tmp_path):
    card = helpers.real_card(run_jobs)
    picture, _text = helpers.card_page_png(card, tmp_path)
    response = upload(client, "card.png", picture.read_bytes(), "image/png")
    assert json.loads(response.content)["texts"] == [card.qr_text]


def test_the_reader_refuses_what_it_cannot_read_with_a_clear_message(client):
    for name, data in (("card.pdf", b"%PDF-1.4 broken"), ("card.jpg", b"\xff\xd8 junk")):
        response = upload(client, name, data, "application/octet-stream")
        assert response.status_code == 400
        assert json.loads(response.content)["error"]
    response = client.post("/verify/read/", {})
    assert response.status_code == 400


def test_a_picture_without_a_qr_code_says_so(client):
    from io import BytesIO

    from PIL import Image

    blank = BytesIO()
    Image.new("RGB", (200, 200), "white").save(blank, "PNG")
    response = upload(client, "blank.png", blank.getvalue(), "image/png")
    assert response.status_code == 400
    assert json.loads(response.content)["texts"] == []


def test_the_reader_refuses_files_too_large_to_be_a_card(client, monkeypatch):
    monkeypatch.setattr(views, "MAX_UPLOAD_BYTES", 10)
    response = upload(client, "card.pdf", b"%PDF-" + b"0" * 20, "application/pdf")
    assert response.status_code == 413


def test_the_reader_only_answers_posts(client):
    assert client.get("/verify/read/").status_code == 405


def test_a_long_pdf_is_refused_before_any_page_is_drawn(client, monkeypatch):
    from fpdf import FPDF

    from hirfa.cards import reading

    document = FPDF()
    for _ in range(views.MAX_PDF_PAGES + 1):
        document.add_page()
    monkeypatch.setattr(reading, "texts_in_pdf", lambda data: pytest.fail("rendered"))
    response = upload(client, "sheet.pdf", bytes(document.output()), "application/pdf")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def test_an_address_sending_too_many_files_in_a_minute_is_asked_to_wait(client, settings):
    settings.VERIFY_READS_PER_MINUTE = 2
    for _ in range(2):
        assert upload(client, "card.pdf", b"%PDF-1.4 broken", "application/pdf").status_code == 400
    response = upload(client, "card.pdf", b"%PDF-1.4 broken", "application/pdf")
    assert response.status_code == 429
    assert json.loads(response.content)["error"]
    other = client.post(
        "/verify/read/",
        {"file": SimpleUploadedFile("card.pdf", b"%PDF-1.4 broken")},
        REMOTE_ADDR="192.0.2.7",
    )
    assert other.status_code == 400


def test_the_reader_counts_again_from_the_next_minute(client, settings):
    from hirfa.verification.models import ReaderUse

    settings.VERIFY_READS_PER_MINUTE = 1
    upload(client, "card.pdf", b"%PDF-1.4 broken", "application/pdf")
    assert upload(client, "card.pdf", b"%PDF-1.4 broken", "application/pdf").status_code == 429
    # The minute is over.
    use = ReaderUse.objects.get()
    use.minute -= timedelta(minutes=1)
    use.save()
    assert upload(client, "card.pdf", b"%PDF-1.4 broken", "application/pdf").status_code == 400


def test_minutes_older_than_an_hour_are_forgotten(client):
    from hirfa.verification.models import ReaderUse

    upload(client, "card.pdf", b"%PDF-1.4 broken", "application/pdf")
    ReaderUse.objects.update(minute=F("minute") - timedelta(hours=2))
    upload(client, "card.pdf", b"%PDF-1.4 broken", "application/pdf")
    assert ReaderUse.objects.count() == 1


def test_a_request_without_a_usable_address_is_read_and_not_counted(client, settings):
    from hirfa.verification.models import ReaderUse

    settings.VERIFY_READS_PER_MINUTE = 1
    for _ in range(3):
        response = client.post(
            "/verify/read/",
            {"file": SimpleUploadedFile("card.pdf", b"%PDF-1.4 broken")},
            REMOTE_ADDR="unix:/run/hirfa.sock",
        )
        assert response.status_code == 400
    assert not ReaderUse.objects.exists()
