"""The receipt of filing: a PDF in the artisan's language with the file's reference, date,
what was filed and a QR code to the file's status; for the holder and staff in scope only."""

import pypdfium2
import pytest
import zxingcpp
from django.utils import timezone

from hirfa.register import links
from hirfa.register.numbers import dossier_reference, parse_reference
from tests.factories import agent_of, artisan_account, officer_of
from tests.register.helpers import (
    TIZNIT,
    draft_of,
    logged_in_artisan,
    submitted,
    submitted_dossier_of,
)

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range().split())


def qr_of(pdf: bytes) -> str:
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=300 / 72).to_pil()
    (code,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return code.text


def test_the_status_address_is_built_from_public_url(settings):
    settings.PUBLIC_URL = "https://rna.example.ma/"
    assert links.status_url("000123-4") == "https://rna.example.ma/status/?ref=000123-4"


def test_a_reference_names_its_file_and_a_typo_names_none():
    assert dossier_reference(123) == "000123-4"
    assert parse_reference("000123-4") == 123
    assert parse_reference("000124-4") is None


def test_the_artisan_downloads_the_receipt_of_a_sent_file_in_their_language(client, settings):
    settings.PUBLIC_URL = "https://rna.example.ma"
    dossier = submitted_dossier_of(logged_in_artisan(client))
    reference = dossier_reference(dossier.pk)
    client.cookies["hirfa_language"] = "fr"
    response = client.get(f"/me/files/{dossier.pk}/receipt.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"receipt-{reference}.pdf" in response["Content-Disposition"]
    text = text_of(response.content)
    assert "Récépissé de dépôt" in text
    assert reference in text
    assert f"{timezone.localtime(dossier.submitted_at):%d/%m/%Y %H:%M}" in text
    assert dossier.registrant_name_latin in text
    assert qr_of(response.content) == f"https://rna.example.ma/status/?ref={reference}"


@pytest.mark.parametrize(
    ("language", "title"),
    # (Arabic: words without a lam-alef, which text extraction splits.)
    [("ar", "مرجع الملف"), ("zgh", "ⴰⵡⵚⵍ ⵏ ⵓⵙⵔⵙ"), ("en", "Receipt of filing")],
)
def test_the_receipt_speaks_the_language_of_the_site(client, language, title):
    dossier = submitted_dossier_of(logged_in_artisan(client))
    client.cookies["hirfa_language"] = language
    response = client.get(f"/me/files/{dossier.pk}/receipt.pdf")
    assert response.status_code == 200
    assert title in text_of(response.content)


def test_the_receipt_lists_the_documents_filed(client):
    dossier = submitted_dossier_of(logged_in_artisan(client))
    client.cookies["hirfa_language"] = "en"
    text = text_of(client.get(f"/me/files/{dossier.pk}/receipt.pdf").content)
    assert dossier.documents.count() > 0
    assert "Documents filed" in text
    assert "No document attached." not in text


def test_the_space_links_the_receipt_once_the_file_is_sent(client):
    dossier = submitted_dossier_of(logged_in_artisan(client))
    assert f"/me/files/{dossier.pk}/receipt.pdf" in client.get("/me/").content.decode()


def test_a_draft_has_no_receipt(client):
    dossier = draft_of(logged_in_artisan(client))
    assert f"/me/files/{dossier.pk}/receipt.pdf" not in client.get("/me/").content.decode()
    assert client.get(f"/me/files/{dossier.pk}/receipt.pdf").status_code == 404


def test_someone_elses_receipt_is_not_found(client):
    theirs = submitted_dossier_of(artisan_account("+212698765432"), cnie="JK654321")
    logged_in_artisan(client)
    assert client.get(f"/me/files/{theirs.pk}/receipt.pdf").status_code == 404
    assert client.get("/me/files/999999/receipt.pdf").status_code == 404


def test_the_desk_prints_the_receipt_in_the_language_asked(client):
    agent = agent_of("09")
    dossier = submitted(agent)
    client.force_login(agent)
    page = client.get(f"/desk/dossiers/{dossier.pk}/").content.decode()
    assert f"/desk/dossiers/{dossier.pk}/receipt.pdf?lang=zgh" in page
    response = client.get(f"/desk/dossiers/{dossier.pk}/receipt.pdf?lang=zgh")
    assert response.status_code == 200
    assert "ⴰⵡⵚⵍ ⵏ ⵓⵙⵔⵙ" in text_of(response.content)


def test_an_officer_in_scope_gets_the_receipt_and_one_elsewhere_does_not(client):
    dossier = submitted(agent_of("09"))
    client.force_login(officer_of(TIZNIT))
    assert client.get(f"/desk/dossiers/{dossier.pk}/receipt.pdf").status_code == 200
    client.force_login(officer_of("09.001"))
    assert client.get(f"/desk/dossiers/{dossier.pk}/receipt.pdf").status_code == 404


def test_the_receipt_is_recorded_in_the_audit_trail(client):
    from hirfa.audit.models import AuditEntry

    dossier = submitted_dossier_of(logged_in_artisan(client))
    client.get(f"/me/files/{dossier.pk}/receipt.pdf")
    assert AuditEntry.objects.filter(
        action="dossier.receipt_issued", object_id=str(dossier.pk)
    ).exists()
