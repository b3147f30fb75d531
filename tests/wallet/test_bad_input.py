"""Bad input at the OpenID4VCI endpoints: the specification's error, never a crash, nothing
issued twice (issue 18, "Bad input")."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from hirfa.audit.models import AuditEntry
from hirfa.wallet import issuer, services
from hirfa.wallet.models import CredentialOffer
from tests.factories import account_for
from tests.wallet import spec_wallet
from tests.wallet.conftest import last_code

pytestmark = pytest.mark.django_db

GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"


@pytest.fixture
def offer(card):
    made = services.offer_card(actor=account_for(card.registration.person), card=card)
    grant = spec_wallet.parse_offer(made.uri)["grants"][GRANT]
    return {"code": grant["pre-authorized_code"], "tx_code": last_code(made.offer.phone)}


def token(client, **fields):
    return client.post("/openid4vci/token", {"grant_type": GRANT, **fields})


def access_token(client, offer) -> str:
    return token(
        client, **{"pre-authorized_code": offer["code"], "tx_code": offer["tx_code"]}
    ).json()["access_token"]


def nonce(client) -> str:
    return client.post("/openid4vci/nonce").json()["c_nonce"]


def credential(client, access, body):
    return client.post(
        "/openid4vci/credential",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {access}"},
    )


def request_with(proof: str) -> dict:
    return {"credential_configuration_id": issuer.CONFIGURATION_ID, "proofs": {"jwt": [proof]}}


def good_proof(client, key=None) -> str:
    return spec_wallet.proof_jwt(
        key or spec_wallet.HolderKey(), audience=issuer.issuer_id(), nonce=nonce(client)
    )


def test_a_replayed_pre_authorized_code_is_an_invalid_grant(client, offer):
    fields = {"pre-authorized_code": offer["code"], "tx_code": offer["tx_code"]}
    assert token(client, **fields).status_code == 200

    again = token(client, **fields)

    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    assert again["Cache-Control"] == "no-store"


def test_an_expired_pre_authorized_code_is_an_invalid_grant(client, offer):
    CredentialOffer.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = token(client, **{"pre-authorized_code": offer["code"], "tx_code": offer["tx_code"]})

    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "pre-authorized code expired",
    }


def test_an_unknown_pre_authorized_code_is_an_invalid_grant(client, offer):
    response = token(client, **{"pre-authorized_code": "x" * 43, "tx_code": offer["tx_code"]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_a_wrong_transaction_code_is_refused_and_counted(client, offer):
    wrong = "000000" if offer["tx_code"] != "000000" else "111111"

    response = token(client, **{"pre-authorized_code": offer["code"], "tx_code": wrong})

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    assert not CredentialOffer.objects.get().redeemed_at
    # The right code still works: one wrong attempt of five.
    fields = {"pre-authorized_code": offer["code"], "tx_code": offer["tx_code"]}
    assert token(client, **fields).status_code == 200


def test_a_missing_transaction_code_is_an_invalid_request(client, offer):
    response = token(client, **{"pre-authorized_code": offer["code"]})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


def test_another_grant_type_is_not_supported(client):
    response = client.post("/openid4vci/token", {"grant_type": "authorization_code", "code": "x"})
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_a_proof_over_a_nonce_we_did_not_give_is_an_invalid_nonce(client, offer):
    access = access_token(client, offer)
    proof = spec_wallet.proof_jwt(
        spec_wallet.HolderKey(), audience=issuer.issuer_id(), nonce="made-up-nonce"
    )

    response = credential(client, access, request_with(proof))

    assert response.status_code == 400
    assert response.json()["error"] == "invalid_nonce"
    # The token is not spent by a refused proof: a fresh nonce gets the credential.
    assert credential(client, access, request_with(good_proof(client))).status_code == 200


def test_a_proof_for_another_issuer_is_an_invalid_proof(client, offer):
    access = access_token(client, offer)
    proof = spec_wallet.proof_jwt(
        spec_wallet.HolderKey(), audience="https://elsewhere.example", nonce=nonce(client)
    )
    response = credential(client, access, request_with(proof))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_proof"


def test_a_proof_whose_signature_does_not_check_is_an_invalid_proof(client, offer):
    access = access_token(client, offer)
    head, body, _signature = good_proof(client).split(".")
    forged = f"{head}.{body}.{spec_wallet.b64url(bytes(64))}"
    response = credential(client, access, request_with(forged))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_proof"


@pytest.mark.parametrize("proof", ["", "a.b", "not.a.jwt", "é.é.é", "x" * 9000])
def test_a_proof_that_is_not_a_jwt_is_an_invalid_proof(client, offer, proof):
    response = credential(client, access_token(client, offer), request_with(proof))
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_proof"


def test_the_credential_is_issued_once_per_offer(client, offer):
    access = access_token(client, offer)
    assert credential(client, access, request_with(good_proof(client))).status_code == 200

    again = credential(client, access, request_with(good_proof(client)))

    assert again.status_code == 401
    assert again.json()["error"] == "invalid_token"
    assert again["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert AuditEntry.objects.filter(action="wallet.issued").count() == 1


def test_a_request_without_a_bearer_token_is_refused(client):
    response = client.post("/openid4vci/credential", "{}", content_type="application/json")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_an_unknown_configuration_is_refused(client, offer):
    body = {"credential_configuration_id": "other", "proofs": {"jwt": [good_proof(client)]}}
    response = credential(client, access_token(client, offer), body)
    assert response.status_code == 400
    assert response.json()["error"] == "unknown_credential_configuration"


@pytest.mark.parametrize("body", ["[", "null", "[1, 2]", '"text"'])
def test_a_body_that_is_not_a_json_object_is_an_invalid_credential_request(client, offer, body):
    response = client.post(
        "/openid4vci/credential",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {access_token(client, offer)}"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_credential_request"


def test_a_card_revoked_after_the_offer_is_not_issued(client, offer, card):
    access = access_token(client, offer)
    card.status = card.Status.REVOKED
    card.save(update_fields=["status"])

    response = credential(client, access, request_with(good_proof(client)))

    assert response.status_code == 400
    assert response.json()["error"] == "credential_request_denied"
