"""Bad messages at the SPDCI API: the error in SPDCI's shape, never a crash, nothing stored."""

import json
import time

import pytest

from hirfa.registry.models import ReceivedMessage
from tests.registry import spdci_peer
from tests.registry.conftest import post

pytestmark = pytest.mark.django_db


def error_of(response) -> str:
    return response.json()["error"]["code"]


def test_a_message_signed_with_another_key_is_refused(client, cnss):
    impostor = spdci_peer.Peer(sender_id=cnss.sender_id)
    response = post(client, "/registry/sync/search", impostor.search("CNIE", "AB123456"))
    assert response.status_code == 401
    assert error_of(response) == "err.signature.invalid"
    assert not ReceivedMessage.objects.exists()


def test_a_message_changed_after_signing_is_refused(client, cnss, peer):
    envelope = peer.search("CNIE", "AB123456")
    envelope["message"]["search_request"][0]["search_criteria"]["query"]["value"] = "CD654321"
    response = post(client, "/registry/sync/search", envelope)
    assert response.status_code == 401
    assert error_of(response) == "err.signature.invalid"


def test_an_expired_signature_is_refused(client, cnss, peer):
    envelope = peer.search("CNIE", "AB123456", created=int(time.time()) - 3600)
    response = post(client, "/registry/sync/search", envelope)
    assert response.status_code == 401
    assert error_of(response) == "err.signature.invalid"


def test_a_message_without_signature_is_refused(client, cnss, peer):
    envelope = peer.search("CNIE", "AB123456")
    del envelope["signature"]
    response = post(client, "/registry/sync/search", envelope)
    assert response.status_code == 401
    assert error_of(response) == "err.signature.missing"


@pytest.mark.parametrize(
    "signature",
    ['namespace="dci", kidId="cnss.ma|k1|ed25519"', "garbage", 'signature="%%%"', "x" * 2000],
)
def test_a_malformed_signature_is_refused(client, cnss, peer, signature):
    envelope = peer.search("CNIE", "AB123456")
    envelope["signature"] = signature
    response = post(client, "/registry/sync/search", envelope)
    assert response.status_code == 401
    assert error_of(response).startswith("err.signature.")


def test_an_unknown_sender_is_refused(client, cnss):
    stranger = spdci_peer.Peer(sender_id="someone.else")
    response = post(client, "/registry/sync/search", stranger.search("CNIE", "AB123456"))
    assert response.status_code == 401
    assert error_of(response) == "err.sender_id.invalid"


def test_a_deactivated_subscriber_is_refused(client, cnss, peer):
    cnss.active = False
    cnss.save()
    response = post(client, "/registry/sync/search", peer.search("CNIE", "AB123456"))
    assert response.status_code == 401


@pytest.mark.parametrize("body", ["{", "[]", "null", '{"header": 1, "message": {}}'])
def test_a_body_that_is_no_envelope_is_a_bad_request(client, cnss, body):
    response = client.post("/registry/sync/search", body, content_type="application/json")
    assert response.status_code == 400
    assert error_of(response) == "err.request.bad"


def test_a_search_sent_to_the_subscribe_endpoint_is_refused(client, cnss, peer):
    response = post(client, "/registry/subscribe", peer.search("CNIE", "AB123456"))
    assert response.status_code == 400
    assert error_of(response) == "rjct.action.invalid"


def test_a_search_without_items_is_refused(client, cnss, peer):
    envelope = peer.envelope("search", {"transaction_id": "t1", "search_request": []})
    response = post(client, "/registry/sync/search", envelope)
    assert response.status_code == 400
    assert error_of(response) == "rjct.search_request.invalid"


def test_items_that_are_not_objects_are_rejected_one_by_one(client, cnss, peer):
    envelope = peer.envelope("search", {"transaction_id": "t1", "search_request": [1, "x"]})
    response = post(client, "/registry/sync/search", envelope)
    assert response.status_code == 200
    items = response.json()["message"]["search_response"]
    assert [item["status_reason_code"] for item in items] == ["rjct.reference_id.invalid"] * 2


def test_a_huge_body_is_refused_unread(client, cnss):
    body = json.dumps({"x": "y" * 70_000})
    response = client.post("/registry/sync/search", body, content_type="application/json")
    assert response.status_code == 413


def test_an_encrypted_message_is_refused_as_not_supported(client, cnss, peer):
    envelope = peer.envelope(
        "search", {"transaction_id": "t1", "search_request": []}, is_msg_encrypted=True
    )
    response = post(client, "/registry/sync/search", envelope)
    assert response.status_code == 400
    assert error_of(response) == "err.encryption.invalid"
