"""Every read of personal data is logged, in one place (security finding 6: the API's reads,
lists, coverage, search by CNIE, document downloads and card PDFs were not)."""

import pytest

from hirfa.audit.models import AuditEntry
from tests.factories import (
    approved_registration,
    issued_card,
    officer_of,
    submitted_dossier,
    use_test_signing_key,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return officer_of("09.581", username="reader")


def reads_by(user):
    return AuditEntry.objects.filter(action="person.viewed", actor=user)


def test_the_api_s_read_of_a_dossier_is_logged(client, agent, officer):
    dossier = submitted_dossier(agent)
    client.force_login(officer)
    assert client.get(f"/api/v1/register/dossiers/{dossier.pk}").status_code == 200
    entry = reads_by(officer).get()
    assert (entry.object_id, entry.province_code) == (str(dossier.person_id), "09.581")
    assert entry.reason == f"GET /api/v1/register/dossiers/{dossier.pk}"


def test_the_api_s_read_of_a_registration_is_logged(client, officer):
    registration = approved_registration()
    client.force_login(officer)
    assert client.get(f"/api/v1/register/registrations/{registration.number}").status_code == 200
    assert reads_by(officer).get().object_id == str(registration.person_id)


def test_each_person_of_a_list_is_logged_once(client, agent, officer):
    first = submitted_dossier(agent)
    second = submitted_dossier(agent, cnie="AB654321", phone="0611111111")
    client.force_login(officer)
    assert client.get("/api/v1/register/dossiers").status_code == 200
    assert sorted(reads_by(officer).values_list("object_id", flat=True)) == sorted(
        [str(first.person_id), str(second.person_id)]
    )


def test_a_search_by_cnie_logs_the_person_found(client, officer):
    registration = approved_registration()
    client.force_login(officer)
    assert client.get("/search/", {"q": "JK123456"}).status_code == 200
    assert reads_by(officer).get().object_id == str(registration.person_id)


def test_downloading_a_document_logs_the_read(client, agent, officer):
    dossier = submitted_dossier(agent)
    document = dossier.documents.first()
    client.force_login(officer)
    response = client.get(f"/review/{dossier.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert reads_by(officer).get().object_id == str(dossier.person_id)


def test_the_coverage_page_of_an_artisan_logs_the_read(client, agent):
    registration = approved_registration()
    client.force_login(agent)
    assert client.get(f"/coverage/artisans/{registration.number}/").status_code == 200
    assert reads_by(agent).get().object_id == str(registration.person_id)


def test_a_card_pdf_logs_the_read(client, settings, run_jobs):
    use_test_signing_key(settings)
    card = issued_card(run_jobs)
    officer = officer_of("09.581", username="printer")
    client.force_login(officer)
    response = client.get(f"/cards/{card.pk}/card.pdf")
    assert response.status_code == 200
    assert reads_by(officer).get().object_id == str(card.registration.person_id)


def test_a_refused_read_logs_nothing(client, agent):
    dossier = submitted_dossier(agent)
    other = officer_of("09.001", username="agadir")
    client.force_login(other)
    assert client.get(f"/api/v1/register/dossiers/{dossier.pk}").status_code == 404
    assert not AuditEntry.objects.filter(action="person.viewed").exists()


def test_the_logged_reads_keep_the_chain_valid(client, agent, officer):
    from hirfa.audit.selectors import verify_chain

    submitted_dossier(agent)
    submitted_dossier(agent, cnie="AB654321", phone="0611111111")
    client.force_login(officer)
    client.get("/api/v1/register/dossiers")
    assert verify_chain().ok
