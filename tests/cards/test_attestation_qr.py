"""The attestation's signed QR code: the card's envelope, its own claim, verified like a
card (docs/card-qr.md §10, docs/decisions/0051)."""

import json
from dataclasses import replace
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.utils import timezone, translation

from hirfa.cards import keys, qr
from hirfa.cards.reading import texts_in_pdf
from hirfa.cards.verification import verify_text
from hirfa.register import services
from tests.factories import approved_registration

pytestmark = pytest.mark.django_db

CLAIMS = qr.AttestationClaims(
    number="1000000018",
    name_ar="فاضمة أيت لحسن",
    name_latin="Fadma AIT LAHCEN",
    category="artisan_experience",
    activity="07.04.01",
    province="09.581",
    registered_on="2026-01-01",
    valid_until="2030-12-31",
    code="ABCD-EFGH-IJKL",
)


def signed(claims=CLAIMS, *, expires_in=86400, private_key=None):
    key = keys.signing_key()
    private_key = private_key or key.private_key
    now = int(timezone.now().timestamp())
    return qr.encode_attestation(
        claims,
        issued_at=now - 60,
        expires_at=None if expires_in is None else now + expires_in,
        private_key=private_key,
        kid=qr.key_id(private_key.public_key()),
    )


def test_an_attestation_text_decodes_to_its_claims():
    document = qr.decode_document(signed(), keys.public_key)
    assert isinstance(document, qr.SignedAttestation)
    assert document.attestation == CLAIMS


def test_a_genuine_attestation_is_valid_and_says_so_as_an_attestation():
    with translation.override("en"):
        result = verify_text(signed())
    assert result.verdict == qr.Verdict.VALID
    assert result.reason.startswith("The attestation is genuine and valid.")


def test_an_attestation_past_its_end_is_expired():
    assert verify_text(signed(expires_in=-1)).verdict == qr.Verdict.EXPIRED


def test_an_attestation_without_end_stays_valid():
    text = signed(replace(CLAIMS, valid_until=""), expires_in=None)
    assert verify_text(text).verdict == qr.Verdict.VALID


def test_an_attestation_signed_by_an_unknown_key_is_not_genuine():
    assert verify_text(signed(private_key=Ed25519PrivateKey.generate())).verdict == "not_genuine"


def test_an_attestation_is_never_taken_for_a_card():
    with pytest.raises(qr.NotGenuine):
        qr.decode_card(signed(), keys.public_key)


@pytest.mark.parametrize("bad", [{"r": "1 Jan 2026"}, {"n": 1000000018}, {"k": None}])
def test_an_attestation_claim_of_a_wrong_shape_is_not_genuine(bad):
    claim = CLAIMS.as_map() | bad
    with pytest.raises(qr.NotGenuine):
        qr.AttestationClaims.from_map({k: v for k, v in claim.items() if v is not None})


def test_the_api_answers_the_attestation_claims(client):
    response = client.post(
        "/api/v1/cards/verify", {"qr": signed()}, content_type="application/json"
    )
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["verdict"] == "valid"
    assert body["card"] is None
    assert body["attestation"]["number"] == "1000000018"
    assert body["attestation"]["registered_on"] == "2026-01-01"
    assert body["attestation"]["code"] == "ABCD-EFGH-IJKL"


def test_verify_card_reads_an_attestation():
    out = StringIO()
    call_command("verify_card", signed(), stdout=out)
    assert out.getvalue().startswith("VALID")
    assert "2026-01-01 → 2030-12-31" in out.getvalue()


def test_the_issued_attestation_bears_a_qr_code_that_verifies(settings):
    settings.PUBLIC_URL = "https://rna.example.ma"
    registration = approved_registration()
    pdf = services.attestation_pdf(actor=None, registration=registration)
    (text,) = texts_in_pdf(pdf)
    assert text.startswith("https://rna.example.ma/verify/#RNA1:")
    result = verify_text(text)
    assert result.verdict == qr.Verdict.VALID
    claims = result.signed.attestation
    assert claims.number == registration.number
    assert claims.name_latin == registration.registrant_name_latin
    assert claims.activity == registration.principal_activity.code
    assert claims.registered_on == registration.registered_on.isoformat()
    assert claims.valid_until == registration.valid_until.isoformat()
    assert claims.code == services.verification_code(registration)


def test_without_a_signing_key_the_attestation_is_issued_without_qr_code(settings, tmp_path):
    settings.CARD_SIGNING_KEYS_DIR = str(tmp_path / "none")
    settings.CARD_SIGNING_KEYS = ""
    pdf = services.attestation_pdf(actor=None, registration=approved_registration())
    assert texts_in_pdf(pdf) == []


def test_the_attestation_prints_the_check_address_from_public_url(settings):
    import pypdfium2

    settings.PUBLIC_URL = "https://rna.example.ma/"
    registration = approved_registration()
    pdf = services.attestation_pdf(actor=None, registration=registration)
    text = pypdfium2.PdfDocument(pdf)[0].get_textpage().get_text_range()
    code = services.verification_code(registration)
    assert f"https://rna.example.ma/verify/attestation/{registration.number}/{code}/" in text


def test_the_api_answers_an_attestation_as_its_operation_would(client):
    from django.test import RequestFactory

    from hirfa.urls import _operation

    body = {"qr": signed()}
    direct = client.post("/api/v1/cards/verify", body, content_type="application/json")
    request = RequestFactory().post("/api/v1/cards/verify", body, content_type="application/json")
    through_the_api = _operation("cards/verify")(request)
    assert direct.status_code == through_the_api.status_code == 200
    assert json.loads(direct.content) == json.loads(through_the_api.content)
