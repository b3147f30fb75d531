"""Law 09-08, right of access: the artisan downloads everything the register holds about
them (JSON and PDF, and through the API), and nobody else's."""

import json

import pypdfium2 as pdfium
import pytest

from hirfa.audit.models import AuditEntry
from hirfa.audit.services import record_access
from hirfa.register.models import Document
from tests.factories import UserFactory, officer_of

pytestmark = pytest.mark.django_db


def my_data(client):
    response = client.get("/me/data/my-data.json")
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_the_json_holds_the_artisan_s_identity_and_registration(client, registration, artisan):
    client.force_login(artisan)
    data = my_data(client)
    assert data["person"]["cnie"] == "JK123456"
    assert data["person"]["first_name_latin"] == "Fadma"
    assert data["person"]["commune"]["code"] == registration.person.commune.code
    assert [r["number"] for r in data["registrations"]] == [registration.number]


def test_the_json_lists_the_files_with_their_states_and_documents_metadata_not_bytes(
    client, registration, artisan
):
    client.force_login(artisan)
    dossier = my_data(client)["dossiers"][0]
    assert (dossier["kind"], dossier["state"]) == ("registration", "approved")
    document = dossier["documents"][0]
    assert set(document) >= {"kind", "name", "size", "uploaded_at", "url"}
    assert document["url"] == f"/me/data/documents/{document['id']}/"
    assert "content" not in document


def test_the_json_holds_the_amo_enrolment_dependants_and_payments(client, covered, artisan):
    client.force_login(artisan)
    (coverage,) = my_data(client)["coverage"]
    assert (coverage["registration"], coverage["cnss_number"]) == (covered.number, "123456789")
    assert [d["first_name_latin"] for d in coverage["dependants"]] == ["Youssef"]
    assert [p["period"] for p in coverage["payments"]] == ["2026-01-01"]


def test_the_json_holds_the_notifications_sent(client, registration, artisan):
    from hirfa.notifications.services import notify

    notify(user=artisan, event="test.event", subject="Hello", body="Your file is approved.")
    client.force_login(artisan)
    bodies = [n["body"] for n in my_data(client)["notifications"]]
    assert "Your file is approved." in bodies


def test_the_json_holds_nobody_else_s_data(client, registration, artisan, other_artisan):
    client.force_login(artisan)
    text = client.get("/me/data/my-data.json").content.decode()
    assert "K998877" not in text and "Brahim" not in text and "Oubella" not in text


def test_the_json_tells_who_opened_the_file(client, registration, artisan):
    officer = officer_of("09.581", username="reader")
    record_access(actor=officer, obj=registration.person, reason="registration")
    client.force_login(artisan)
    assert [a["by"] for a in my_data(client)["accesses"]] == ["reader"]


def test_the_json_holds_the_audit_entries_about_the_person(client, registration, artisan):
    client.force_login(artisan)
    actions = {entry["action"] for entry in my_data(client)["audit"]}
    assert {"dossier.created", "document.attached", "registration.created"} <= actions


def test_each_download_is_audited(client, registration, artisan):
    client.force_login(artisan)
    client.get("/me/data/my-data.json")
    client.get("/me/data/my-data.pdf")
    entries = AuditEntry.objects.filter(action="privacy.exported").order_by("id")
    assert [e.data["format"] for e in entries] == ["json", "pdf"]
    assert {e.actor_id for e in entries} == {artisan.pk}


def test_the_pdf_renders_with_the_artisan_s_name(client, registration, artisan):
    client.force_login(artisan)
    response = client.get("/me/data/my-data.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    document = pdfium.PdfDocument(response.content)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "Fadma" in text and "Ait Lahcen" in text


def test_the_page_offers_both_downloads(client, registration, artisan):
    client.force_login(artisan)
    page = client.get("/me/data/").content.decode()
    assert "/me/data/my-data.json" in page and "/me/data/my-data.pdf" in page


def test_the_api_returns_the_same_data(client, registration, artisan):
    client.force_login(artisan)
    response = client.get("/api/v1/me/data")
    assert response.status_code == 200
    assert response.json()["person"]["cnie"] == "JK123456"
    assert AuditEntry.objects.filter(action="privacy.exported", data__format="api").exists()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    assert client.get("/me/data/my-data.json").status_code == 302


def test_the_api_refuses_an_anonymous_caller(client):
    assert client.get("/api/v1/me/data").status_code == 401


@pytest.mark.parametrize("path", ["/me/data/", "/me/data/my-data.json", "/me/data/my-data.pdf"])
def test_staff_are_refused_the_artisan_pages(client, path):
    client.force_login(officer_of("09.581"))
    assert client.get(path).status_code == 403


def test_the_api_refuses_staff(client):
    client.force_login(officer_of("09.581"))
    assert client.get("/api/v1/me/data").status_code == 403


def test_the_artisan_opens_their_own_document(client, registration, artisan):
    document = Document.objects.filter(dossier__person__user=artisan).first()
    client.force_login(artisan)
    assert client.get(f"/me/data/documents/{document.pk}/").status_code == 200


def test_another_artisan_cannot_open_the_document(client, registration, artisan, other_artisan):
    document = Document.objects.filter(dossier__person__user=artisan).first()
    client.force_login(other_artisan)
    assert client.get(f"/me/data/documents/{document.pk}/").status_code == 404


def test_an_artisan_without_a_file_gets_their_account_only(client):
    user = UserFactory()
    client.force_login(user)
    data = my_data(client)
    assert data["person"] is None and data["registrations"] == []
    assert data["account"]["username"] == user.username


def test_the_page_speaks_arabic_by_default_and_french_on_request(client, registration, artisan):
    client.force_login(artisan)
    assert "معطياتي الشخصية" in client.get("/me/data/").content.decode()
    client.cookies["hirfa_language"] = "fr"
    assert "Mes données personnelles" in client.get("/me/data/").content.decode()
