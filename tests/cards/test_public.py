"""What anyone may fetch: the JWKS, the revocation list, a card's status, verification."""

import base64
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from hirfa.cards import qr
from hirfa.register import services as register
from tests.factories import issued_card, officer_of

pytestmark = pytest.mark.django_db


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def published(client) -> dict:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    return {b64url(k["kid"]): Ed25519PublicKey.from_public_bytes(b64url(k["x"])) for k in
            json.loads(response.content)["keys"]}  # fmt: skip


def test_the_jwks_publishes_the_signing_key_as_okp_ed25519(client, signing_key):
    body = json.loads(client.get("/.well-known/jwks.json").content)
    (key,) = body["keys"]
    assert (key["kty"], key["crv"], key["alg"], key["use"]) == ("OKP", "Ed25519", "EdDSA", "sig")
    assert b64url(key["kid"]) == signing_key.kid
    assert key["nbf"] < key["exp"]


def test_a_card_verifies_with_nothing_but_the_published_keys(client, run_jobs):
    card = issued_card(run_jobs)
    keys = published(client)
    assert qr.decode_card(card.qr_text, keys.get).card.number == card.registration.number


def test_several_keys_are_published_and_the_newest_valid_one_signs(client, signing_key, run_jobs):
    from datetime import timedelta

    from django.utils import timezone

    from hirfa.cards import keys

    now = timezone.now()
    keys.create_key(valid_from=now - timedelta(days=1))  # older, still valid
    keys.create_key(valid_from=now + timedelta(days=30))  # announced before its use
    card = issued_card(run_jobs)
    assert len(published(client)) == 3
    assert qr.decode_card(card.qr_text, published(client).get).kid == signing_key.kid


def test_key_files_are_readable_by_their_owner_only(signing_key, settings):
    (path,) = settings.CARD_SIGNING_KEYS_DIR.glob("*.json")
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_key_given_as_a_secret_signs_without_any_file(settings, run_jobs):
    from hirfa.cards import keys

    secret = json.dumps(keys.create_key()[0].as_json())
    settings.CARD_SIGNING_KEYS_DIR = settings.VAR_DIR / "empty"
    settings.CARD_SIGNING_KEYS = secret
    card = issued_card(run_jobs)
    assert qr.decode_card(card.qr_text, keys.public_key).card.version == 1


def test_the_revocation_list_is_signed_and_lists_a_revoked_card_at_once(client, run_jobs):
    officer = officer_of("09.581")
    card = issued_card(run_jobs, officer=officer)
    keys = published(client)
    before = client.get("/.well-known/rna-revocations")
    assert before["Content-Type"] == "application/cose"
    listed = qr.decode_revocations(before.content, keys.get)
    assert listed.entries == {}
    assert listed.next_update > listed.issued_at

    register.suspend(officer=officer, registration=card.registration, reason="x", until=None)
    after = qr.decode_revocations(client.get("/.well-known/rna-revocations").content, keys.get)
    assert after.reason_for(card.registration.number, 1) == qr.REASON_SUSPENDED
    register.reinstate(officer=officer, registration=card.registration, reason="y")
    again = qr.decode_revocations(client.get("/.well-known/rna-revocations").content, keys.get)
    assert again.reason_for(card.registration.number, 1) == qr.REASON_REVOKED


def test_an_unchanged_revocation_list_answers_not_modified(client, run_jobs):
    issued_card(run_jobs)
    first = client.get("/.well-known/rna-revocations")
    again = client.get("/.well-known/rna-revocations", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


def test_the_live_status_of_a_card_needs_no_login(client, run_jobs):
    card = issued_card(run_jobs)
    number = card.registration.number
    body = client.get(f"/api/v1/cards/{number}/1/status").json()
    assert (body["number"], body["version"], body["status"]) == (number, 1, "valid")
    assert client.get(f"/api/v1/cards/{number}/7/status").json()["status"] == "unknown"


def test_the_verify_endpoint_gives_the_verdict_and_the_claims(client, run_jobs):
    card = issued_card(run_jobs)
    body = client.post(
        "/api/v1/cards/verify", {"qr": card.qr_text}, content_type="application/json"
    ).json()
    assert body["verdict"] == "valid"
    assert body["card"]["number"] == card.registration.number
    assert body["card"]["name_ar"] == "فاضمة أيت لحسن"


@pytest.mark.parametrize("text", ["", "HC1:6BF", "RNA1:%%%"])
def test_the_verify_endpoint_answers_not_genuine_for_a_text_that_is_no_card(client, text):
    response = client.post("/api/v1/cards/verify", {"qr": text}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() | {"reason": ""} == {
        "verdict": "not_genuine",
        "card": None,
        "attestation": None,
        "reason": "",
    }


def test_the_verify_endpoint_refuses_a_text_longer_than_any_card_with_a_clear_error(client):
    text = "RNA1:" + "0" * 5000
    response = client.post("/api/v1/cards/verify", {"qr": text}, content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()) == {"code", "message", "fields"}


def test_verify_card_command_reads_text_and_says_valid(run_jobs):
    from io import StringIO

    from django.core.management import call_command

    card = issued_card(run_jobs)
    out = StringIO()
    call_command("verify_card", card.qr_text, stdout=out)
    assert out.getvalue().startswith("VALID")


def test_verify_card_command_fails_on_a_forged_card(run_jobs):
    from django.core.management import CommandError, call_command

    card = issued_card(run_jobs)
    forged = card.qr_text[:-4] + ("0000" if not card.qr_text.endswith("0000") else "1111")
    with pytest.raises(CommandError):
        call_command("verify_card", forged)


@pytest.mark.parametrize("kind", ["card", "not a card", "extra field"])
def test_the_verify_endpoint_answers_as_the_api_operation_would(client, run_jobs, kind):
    from django.test import RequestFactory

    from hirfa.urls import _operation

    text = issued_card(run_jobs).qr_text if kind != "not a card" else "HC1:6BF"
    body = {"qr": text} | ({"note": "x"} if kind == "extra field" else {})
    direct = client.post("/api/v1/cards/verify", body, content_type="application/json")
    request = RequestFactory().post("/api/v1/cards/verify", body, content_type="application/json")
    through_the_api = _operation("cards/verify")(request)
    assert direct.status_code == through_the_api.status_code == 200
    assert direct["Content-Type"] == through_the_api["Content-Type"]
    assert direct.json() == json.loads(through_the_api.content)
