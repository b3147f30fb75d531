"""The decision screen: data beside documents, the four actions, four eyes, conflicts."""

import re

import pytest

from hirfa.accounts.roles import Role
from hirfa.audit.models import AuditEntry
from hirfa.notifications.models import Notification
from hirfa.register import services
from hirfa.register.models import Dossier, Message, Registration
from hirfa.register.rules import RejectionReason
from tests.factories import national, officer_of, province
from tests.register.helpers import AGADIR_CITY, submitted

CONFIRMED = {"state": "submitted", "confirm": "on"}

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

State = Dossier.State


@pytest.fixture
def dossier(agent):
    return submitted(agent)


def written():
    """What a decision writes, to check that a refused one wrote nothing."""
    return (
        AuditEntry.objects.exclude(action__endswith=".viewed").count(),
        Registration.objects.count(),
        Notification.objects.count(),
        Message.objects.count(),
    )


def test_the_decision_screen_shows_the_data_beside_the_documents(client, officer, dossier):
    response = client.get(f"/review/{dossier.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="decision-columns"' in page
    assert "JK123456" in page and "فاضمة" in page
    documents = list(dossier.documents.order_by("kind"))
    for document in documents:
        assert f"/review/{dossier.pk}/documents/{document.pk}/" in page
    assert "<iframe" in page and "<img" in page  # the PDF embedded, the image inline


def test_opening_the_decision_screen_writes_an_access_audit_entry(client, officer, dossier):
    client.get(f"/review/{dossier.pk}/")
    entry = AuditEntry.objects.get(action="person.viewed")
    assert entry.actor == officer
    assert entry.object_id == str(dossier.person_id)
    assert entry.province_code == "09.581"


def test_the_decision_screen_tells_the_history_of_the_dossier_in_sentences(
    client, settings, officer, dossier
):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/review/{dossier.pk}/").content.decode()
    assert "The file was opened." in page
    assert "The file was sent to the provincial directorate." in page
    assert "dossier.created" not in page and "dossier.submit" not in page


def test_the_history_tells_the_actions_in_the_readers_language(client, settings, officer, dossier):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get(f"/review/{dossier.pk}/").content.decode()
    assert "Le dossier a été envoyé à la direction provinciale." in page


def test_the_tiznit_officer_cannot_open_a_dossier_of_agadir_by_url(client, agent, officer):
    agadir = submitted(agent, cnie="AB654321", phone="0611111111", workplace=AGADIR_CITY)
    assert client.get(f"/review/{agadir.pk}/").status_code == 404
    assert not AuditEntry.objects.filter(action="person.viewed").exists()


def test_the_tiznit_officer_cannot_open_a_document_of_agadir(client, agent, officer):
    agadir = submitted(agent, cnie="AB654321", phone="0611111111", workplace=AGADIR_CITY)
    document = agadir.documents.first()
    assert client.get(f"/review/{agadir.pk}/documents/{document.pk}/").status_code == 404


def test_a_document_of_another_dossier_is_not_found_under_this_one(client, agent, officer, dossier):
    other = submitted(agent, cnie="AB654321", phone="0611111111")
    document = other.documents.first()
    assert client.get(f"/review/{dossier.pk}/documents/{document.pk}/").status_code == 404


def test_the_document_view_returns_the_bytes_inline_with_nosniff(client, officer, dossier):
    document = dossier.documents.get(content_type="application/pdf")
    response = client.get(f"/review/{dossier.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-") and len(body) == document.size
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"  # so the screen can embed it


def test_a_document_missing_from_storage_is_a_404_not_a_crash(client, officer, dossier):
    document = dossier.documents.first()
    document.file.storage.delete(document.file.name)
    assert client.get(f"/review/{dossier.pk}/documents/{document.pk}/").status_code == 404


def test_an_agent_and_a_cnss_liaison_cannot_open_the_decision_screen(client, agent, dossier):
    client.force_login(agent)
    assert client.get(f"/review/{dossier.pk}/").status_code == 403
    client.force_login(national(Role.CNSS))
    assert client.get(f"/review/{dossier.pk}/").status_code == 403


def test_start_review_moves_the_file_in_review(client, officer, dossier):
    response = client.post(f"/review/{dossier.pk}/start/", {"state": "submitted"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.state == State.IN_REVIEW


def test_request_changes_moves_the_file_and_sends_the_message(client, officer, dossier):
    response = client.post(
        f"/review/{dossier.pk}/request-changes/",
        {"state": "submitted", "message": "The CNIE copy is blurred: take it again."},
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.state == State.CHANGES_REQUESTED
    assert dossier.messages.get().body == "The CNIE copy is blurred: take it again."
    assert "The CNIE copy is blurred" in response.content.decode()


def test_request_changes_without_a_message_is_refused_beside_the_field(client, officer, dossier):
    response = client.post(
        f"/review/{dossier.pk}/request-changes/", {"state": "submitted", "message": "  "}
    )
    assert response.status_code == 400
    assert 'id="id_message_errors"' in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED


def test_approve_shows_the_ten_digit_registration_number_and_approves_the_file(
    client, officer, dossier
):
    response = client.post(f"/review/{dossier.pk}/approve/", CONFIRMED, follow=True)
    dossier.refresh_from_db()
    assert dossier.state == State.APPROVED
    number = dossier.registration.number
    assert re.fullmatch(r"[1-9][0-9]{9}", number)
    page = response.content.decode()
    assert f'href="/registrations/{number}/"' in page
    assert f"{number[:3]} {number[3:6]} {number[6:9]} {number[9]}" in page


def test_an_officer_who_filed_a_dossier_cannot_approve_it(client, dossier):
    # An agent of the chamber who later became an officer of Tiznit.
    filer = dossier.filed_by
    filer.role, filer.scope_region, filer.scope_province = Role.OFFICER, None, province("09.581")
    filer.save()
    client.force_login(filer)
    message = "You filed or assisted this file: another officer must decide it."
    assert message in client.get(f"/review/{dossier.pk}/").content.decode()
    before = written()
    response = client.post(f"/review/{dossier.pk}/approve/", CONFIRMED, follow=True)
    assert message in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED and written() == before


def test_deciding_an_already_decided_dossier_shows_the_conflict_and_writes_nothing(
    client, officer, dossier
):
    services.approve(officer=officer_of("09.581"), dossier=dossier)
    before = written()
    response = client.post(
        f"/review/{dossier.pk}/reject/", {"reason": "not_eligible", "confirm": "on"}, follow=True
    )
    assert "This file cannot do that now" in response.content.decode()
    assert written() == before
    dossier.refresh_from_db()
    assert dossier.state == State.APPROVED


def test_a_stale_page_shows_the_current_state_instead_of_deciding(client, officer, dossier):
    services.start_review(officer=officer_of("09.581"), dossier=dossier)
    before = written()
    response = client.post(f"/review/{dossier.pk}/approve/", CONFIRMED, follow=True)
    assert "This file changed while you were reading it" in response.content.decode()
    assert written() == before
    assert response.redirect_chain[-1][0] == f"/review/{dossier.pk}/"


def test_reject_requires_a_reason_from_the_list(client, officer, dossier):
    response = client.post(
        f"/review/{dossier.pk}/reject/", {"state": "submitted", "reason": "i do not like it"}
    )
    assert response.status_code == 400
    assert 'id="id_reason_errors"' in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED


def test_reject_for_another_reason_requires_a_note(client, officer, dossier):
    response = client.post(
        f"/review/{dossier.pk}/reject/",
        {"state": "submitted", "reason": RejectionReason.OTHER, "confirm": "on"},
    )
    assert response.status_code == 400
    assert 'id="id_note_errors"' in response.content.decode()


def test_reject_with_a_reason_from_the_list_rejects_the_file(client, officer, dossier):
    response = client.post(
        f"/review/{dossier.pk}/reject/",
        {
            "state": "submitted",
            "reason": RejectionReason.NOT_ELIGIBLE,
            "note": "Only 1 year.",
            "confirm": "on",
        },
        follow=True,
    )
    dossier.refresh_from_db()
    assert dossier.state == State.REJECTED and dossier.rejection_reason == "not_eligible"
    assert "The conditions of the category are not met" in response.content.decode()


def test_approving_asks_to_tick_the_confirmation_first_and_writes_nothing(client, officer, dossier):
    before = written()
    response = client.post(f"/review/{dossier.pk}/approve/", {"state": "submitted"})
    assert response.status_code == 400
    assert 'id="id_confirm_errors"' in response.content.decode()
    assert "Tick the box to confirm." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED and written() == before


def test_rejecting_asks_to_tick_the_confirmation_first(client, officer, dossier):
    response = client.post(
        f"/review/{dossier.pk}/reject/",
        {"state": "submitted", "reason": RejectionReason.NOT_ELIGIBLE},
    )
    assert response.status_code == 400
    assert "Tick the box to confirm." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == State.SUBMITTED


def test_decision_actions_answer_only_to_post(client, officer, dossier):
    assert client.get(f"/review/{dossier.pk}/approve/").status_code == 405
