"""The field app's API: photos first, then items, each applied at most once (decision 60)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.audit.models import AuditEntry
from hirfa.field.models import FieldAttachment, FieldItem
from hirfa.register.models import Document, Dossier
from hirfa.territory.models import Commune
from tests.factories import agent_of
from tests.field.conftest import API, jpeg, post_item, put_photo, registration_item

pytestmark = pytest.mark.django_db


def test_an_item_with_its_photos_is_filed_once_at_the_agents_desk(agent_client, agent):
    cnie, _ = put_photo(agent_client, kind="cnie")
    photo, response = put_photo(agent_client, kind="photo")
    assert response.status_code == 201
    item = registration_item(agent, photos=[(cnie, "cnie"), (photo, "photo")])

    response = post_item(agent_client, item)

    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "applied" and body["id"] == item["id"]
    dossier = Dossier.objects.get(pk=body["dossier"])
    assert dossier.filed_by == agent and dossier.assisted
    assert sorted(Document.objects.filter(dossier=dossier).values_list("kind", flat=True)) == [
        "cnie",
        "photo",
    ]
    assert dossier.person.photo
    assert FieldAttachment.objects.filter(item__uuid=item["id"]).count() == 2


def test_the_audit_keeps_the_phones_capture_time_beside_the_servers(agent_client, agent):
    item = registration_item(agent)
    post_item(agent_client, item)
    entry = AuditEntry.objects.get(action="field_item.applied")
    assert entry.data["captured_at_device"] == item["captured_at"]
    assert entry.data["received_at"]
    assert entry.data["uuid"] == item["id"]


def test_a_replay_returns_the_first_answer_and_files_nothing_more(agent_client, agent):
    item = registration_item(agent)
    first = post_item(agent_client, item).json()
    item["sent_at"] = timezone.now().isoformat()  # a later delivery of the same item

    again = post_item(agent_client, item)

    assert again.status_code == 201
    assert again.json()["dossier"] == first["dossier"] and again.json()["replayed"] is True
    assert Dossier.objects.count() == 1 and FieldItem.objects.count() == 1


def test_the_same_id_with_another_body_is_refused_with_409_and_the_first_kept(agent_client, agent):
    item = registration_item(agent)
    first = post_item(agent_client, item).json()
    item["body"]["person"]["address"] = "Another address"

    response = post_item(agent_client, item)

    assert response.status_code == 409
    assert response.json()["code"] == "id_reused"
    assert Dossier.objects.get().pk == first["dossier"]
    assert Dossier.objects.get().person.address == "12 Derb Idzikri"


def test_an_item_captured_under_another_agents_session_is_refused_and_not_kept(agent_client, agent):
    other = agent_of("09", username="other")
    response = post_item(agent_client, registration_item(other))
    assert response.status_code == 403
    assert "another agent" in response.json()["message"]
    assert not FieldItem.objects.exists() and not Dossier.objects.exists()


def test_an_id_already_used_by_another_agent_is_refused_without_its_answer(client, agent):
    other = agent_of("09", username="other")
    client.force_login(other)
    item = registration_item(other)
    assert post_item(client, item).status_code == 201
    client.force_login(agent)
    item["body"]["agent"] = registration_item(agent)["body"]["agent"]

    response = post_item(client, item)

    assert response.status_code == 403
    assert "dossier" not in response.json()


def test_a_workplace_outside_the_agents_territory_is_refused_and_the_refusal_kept(
    agent_client, agent
):
    elsewhere = Commune.objects.exclude(province__region__code="09").first().code
    item = registration_item(agent, craft={"workplace_commune": elsewhere})

    response = post_item(agent_client, item)

    assert response.status_code == 403
    assert response.json()["state"] == "refused"
    assert "outside your territory" in response.json()["message"]
    assert not Dossier.objects.exists()
    assert post_item(agent_client, item).json()["replayed"] is True


def test_a_refused_item_tells_each_field_in_the_agents_language(agent_client, agent):
    item = registration_item(agent, person={"cnie": "12"})
    response = agent_client.post(
        f"{API}/items", data=item, content_type="application/json", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 400
    assert response.json()["state"] == "refused"
    assert response.json()["message"] == "Des informations manquent ou ne sont pas valides."
    assert response.json()["fields"]["cnie"]


def test_a_photo_over_the_size_limit_is_refused_with_413(agent_client, settings):
    settings.DOCUMENT_MAX_BYTES = 2048
    _, response = put_photo(agent_client, data=jpeg(400, 400, (10, 200, 30)) + b"\0" * 4096)
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not FieldAttachment.objects.exists()


def test_a_photo_sent_twice_is_kept_once_and_another_photo_under_its_id_is_refused(
    agent_client,
):
    photo_id, first = put_photo(agent_client)
    _, again = put_photo(agent_client, photo_id=photo_id)
    _, other = put_photo(agent_client, photo_id=photo_id, data=jpeg(color=(1, 2, 3)))
    assert (first.status_code, again.status_code, other.status_code) == (201, 201, 409)
    assert first.json() == again.json()
    assert FieldAttachment.objects.count() == 1


def test_an_item_whose_photo_has_not_arrived_keeps_nothing_until_it_has(agent_client, agent):
    photo_id = str(uuid.uuid4())
    item = registration_item(agent, photos=[(photo_id, "cnie")])

    response = post_item(agent_client, item)
    assert response.status_code == 409 and response.json()["code"] == "attachment_missing"
    assert not FieldItem.objects.exists() and not Dossier.objects.exists()

    put_photo(agent_client, photo_id=photo_id)
    assert post_item(agent_client, item).status_code == 201


def test_a_phone_clock_far_off_is_told_and_its_capture_time_kept_as_given(agent_client, agent):
    now = timezone.now()
    item = registration_item(
        agent, captured_at=now + timedelta(hours=2), sent_at=now + timedelta(hours=3)
    )
    response = post_item(agent_client, item)
    assert response.status_code == 201
    assert "clock is off by about 180 minutes" in response.json()["clock"]
    kept = FieldItem.objects.get()
    assert kept.captured_at.isoformat() == item["captured_at"]
    assert abs(kept.clock_skew_seconds - 3 * 3600) < 60


def test_an_item_older_than_the_offline_days_is_refused_as_expired(agent_client, agent, settings):
    settings.FIELD_OFFLINE_DAYS = 7
    item = registration_item(agent, captured_at=timezone.now() - timedelta(days=8))
    response = post_item(agent_client, item)
    assert response.status_code == 410
    assert response.json()["code"] == "expired"
    assert not Dossier.objects.exists()


def test_a_session_ended_while_offline_keeps_nothing_and_says_so(client, agent):
    response = post_item(client, registration_item(agent))
    assert response.status_code == 401
    assert not FieldItem.objects.exists()


def test_a_body_of_the_wrong_shape_is_refused_with_422_and_not_kept(agent_client, agent):
    item = registration_item(agent)
    item["body"]["person"] = "not a person"
    assert post_item(agent_client, item).status_code == 422
    assert not FieldItem.objects.exists()


def test_a_photo_named_twice_by_an_item_is_attached_once(agent_client, agent):
    photo_id, _ = put_photo(agent_client, kind="cnie")
    item = registration_item(agent, photos=[(photo_id, "cnie"), (photo_id, "cnie")])
    assert post_item(agent_client, item).status_code == 201
    assert Document.objects.count() == 1
