"""The register through the JSON API: the same rules, the same error shape."""

import pytest

from hirfa.register.models import Dossier, Person
from tests.factories import agent_of, craft_data, officer_of, person_data, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent_client(client):
    client.force_login(agent_of("09", username="agent"))
    return client


def file_payload(**person):
    return {"person": person_data(**person), "craft": craft_data(), "consent": True}


def file(client, payload, **headers):
    return client.post(
        "/api/v1/register/dossiers/assisted",
        payload,
        content_type="application/json",
        **headers,
    )


def test_an_agent_files_a_dossier_through_the_api(agent_client):
    response = file(agent_client, file_payload())
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "draft"
    assert body["missing_documents"] == ["cnie", "experience", "photo"]


def test_invalid_fields_come_back_in_the_error_shape_with_translated_messages(agent_client):
    response = file(
        agent_client,
        file_payload(first_name_ar="Fadma"),
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"first_name_ar"}
    assert "arabe" in body["fields"]["first_name_ar"][0].lower()


def test_a_malformed_body_is_a_400_not_a_crash(agent_client):
    response = agent_client.post(
        "/api/v1/register/dossiers/assisted", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"code", "message", "fields"}


def test_the_same_submission_sent_twice_with_an_idempotency_key_files_once(agent_client):
    first = file(agent_client, file_payload(), HTTP_IDEMPOTENCY_KEY="fair-2022-08-29-001")
    second = file(agent_client, file_payload(), HTTP_IDEMPOTENCY_KEY="fair-2022-08-29-001")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Dossier.objects.count() == 1 and Person.objects.count() == 1


def test_an_idempotency_key_reused_for_another_request_is_refused(agent_client):
    file(agent_client, file_payload(), HTTP_IDEMPOTENCY_KEY="k1")
    response = file(agent_client, file_payload(cnie="AB123456"), HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 409
    assert Person.objects.count() == 1


def test_documents_are_uploaded_and_the_dossier_submitted_and_approved(agent_client, client):
    dossier_id = file(agent_client, file_payload()).json()["id"]
    for kind in ("cnie", "experience", "photo"):
        response = agent_client.post(
            f"/api/v1/register/dossiers/{dossier_id}/documents",
            {"kind": kind, "file": png_upload()},
        )
        assert response.status_code == 201, response.content
    assert agent_client.post(f"/api/v1/register/dossiers/{dossier_id}/submit").json()["state"] == (
        "submitted"
    )
    client.force_login(officer_of("09.581"))
    queue = client.get("/api/v1/register/review/queue").json()
    assert [item["id"] for item in queue["items"]] == [dossier_id]
    approved = client.post(
        f"/api/v1/register/dossiers/{dossier_id}/approve", {}, content_type="application/json"
    ).json()
    assert approved["state"] == "approved"
    number = approved["registration_number"]
    registration = client.get(f"/api/v1/register/registrations/{number}").json()
    assert registration["status"] == "active"
    pdf = client.get(f"/api/v1/register/registrations/{number}/attestation")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_wrong_state_transition_is_a_409(agent_client):
    dossier_id = file(agent_client, file_payload()).json()["id"]
    response = agent_client.post(f"/api/v1/register/dossiers/{dossier_id}/submit")
    assert response.status_code == 400
    assert response.json()["fields"]["documents"]


def test_a_dossier_of_another_province_is_not_found_for_an_officer(agent_client, client):
    dossier_id = file(agent_client, file_payload()).json()["id"]
    client.force_login(officer_of("09.001"))
    assert client.get(f"/api/v1/register/dossiers/{dossier_id}").status_code == 404
    response = client.post(
        f"/api/v1/register/dossiers/{dossier_id}/approve", {}, content_type="application/json"
    )
    assert response.status_code == 404


def test_an_artisan_cannot_use_the_review_actions(client, agent_client):
    from tests.factories import UserFactory

    dossier_id = file(agent_client, file_payload()).json()["id"]
    client.force_login(UserFactory(role="artisan"))
    response = client.post(
        f"/api/v1/register/dossiers/{dossier_id}/approve", {}, content_type="application/json"
    )
    assert response.status_code == 404
