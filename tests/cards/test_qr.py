"""The QR codec: Base45, COSE_Sign1, bounded zlib, and every kind of bad input."""

import contextlib
import zlib

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from hirfa.cards import qr

KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KID = qr.key_id(KEY.public_key())
OTHER = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
CLAIMS = qr.CardClaims(
    number="1000000018",
    version=2,
    name_ar="فاضمة أيت لحسن",
    name_latin="Fadma AIT LAHCEN",
    name_zgh="ⴼⴰⴹⵎⴰ",
    category="artisan_experience",
    activity="01.01.01",
    province="09.581",
)


def keys(kid):
    return KEY.public_key() if kid == KID else None


def encoded(**overrides) -> str:
    args = {"issued_at": 1_767_225_600, "expires_at": 1_924_991_999, "private_key": KEY, "kid": KID}
    return qr.encode_card(CLAIMS, **(args | overrides))


def reason(text) -> str:
    with pytest.raises(qr.NotGenuine) as caught:
        qr.decode_card(text, keys)
    return caught.value.kind


def cose_text(message) -> str:
    return qr.PREFIX + qr.b45encode(zlib.compress(cbor2.dumps(message)))


def test_the_rfc_9285_examples_encode_and_decode():
    assert qr.b45encode(b"AB") == "BB8"
    assert qr.b45encode(b"Hello!!") == "%69 VD92EX0"
    assert qr.b45encode(b"base-45") == "UJCLQE7W581"
    assert qr.b45decode("QED8WEX0") == b"ietf!"


@given(st.binary(max_size=600))
def test_base45_round_trips_any_bytes(data):
    assert qr.b45decode(qr.b45encode(data)) == data


@given(st.text(alphabet=qr.BASE45_ALPHABET + "abc#", max_size=60))
def test_base45_decoding_refuses_bad_text_with_a_value_error_only(text):
    with contextlib.suppress(ValueError):
        qr.b45decode(text)


def test_a_signed_card_decodes_to_its_claims_and_key():
    signed = qr.decode_card(encoded(), keys)
    assert signed.card == CLAIMS
    assert (signed.issued_at, signed.expires_at, signed.kid) == (1_767_225_600, 1_924_991_999, KID)


def test_the_qr_text_is_alphanumeric_and_short_enough_for_a_card():
    text = encoded()
    assert set(text[len(qr.PREFIX) :]) <= set(qr.BASE45_ALPHABET)
    assert len(text) < 600


def test_the_protected_header_is_alg_then_kid():
    assert qr.protected_header(KID) == bytes([0xA2, 0x01, 0x27, 0x04, 0x48]) + KID


def test_surrounding_white_space_is_ignored():
    assert qr.decode_card(f"  {encoded()}\n", keys).card == CLAIMS


def test_a_wrong_prefix_is_not_genuine():
    assert reason(encoded().replace("RNA1:", "HC1:")) == "prefix"


def test_truncated_base45_is_not_genuine():
    text = encoded()
    assert reason(text[:-1]) in ("base45", "zlib")
    assert reason(text[: len(text) // 2]) in ("base45", "zlib")


def test_an_unknown_key_is_not_genuine():
    other_kid = qr.key_id(OTHER.public_key())
    assert reason(encoded(private_key=OTHER, kid=other_kid)) == "unknown_kid"


def test_a_signature_by_another_key_under_our_kid_is_not_genuine():
    assert reason(encoded(private_key=OTHER)) == "signature"


def test_an_altered_payload_is_not_genuine():
    message = cbor2.loads(qr.inflate(qr.b45decode(encoded()[len(qr.PREFIX) :])))
    protected, unprotected, payload, signature = message.value
    altered = payload.replace(b"1000000018", b"1000000026")
    assert reason(cose_text(cbor2.CBORTag(18, [protected, unprotected, altered, signature]))) == (
        "signature"
    )


def test_the_untagged_array_is_accepted():
    message = cbor2.loads(qr.inflate(qr.b45decode(encoded()[len(qr.PREFIX) :])))
    assert qr.decode_card(cose_text(message.value), keys).card == CLAIMS


def test_a_zlib_bomb_is_refused_without_inflating_it():
    bomb = zlib.compress(b"\0" * 10_000_000)
    assert reason(qr.PREFIX + qr.b45encode(bomb)) == "too_large"


def test_exactly_the_limit_is_accepted_by_the_inflater():
    assert len(qr.inflate(zlib.compress(b"a" * qr.MAX_DECOMPRESSED))) == qr.MAX_DECOMPRESSED


@pytest.mark.parametrize(
    "message",
    [
        "text",
        [1, 2, 3],
        cbor2.CBORTag(98, []),
        cbor2.CBORTag(18, [b"", {}, b"", b""]),
        [cbor2.dumps({1: -7, 4: KID}), {}, b"", b"\0" * 64],
        [cbor2.dumps({1: -8, 4: b"short"}), {}, b"", b"\0" * 64],
        [cbor2.dumps({1: -8, 4: KID}), {}, b"", b"\0" * 10],
    ],
)
def test_wrong_cbor_shapes_are_not_genuine(message):
    reason(cose_text(message))


def test_a_signed_payload_of_the_wrong_shape_is_not_genuine():
    for payload in ({1: "MA-RNA", 4: 1, 6: 1}, {1: "XX", 4: 1, 6: 1, -70000: {}}, [1, 2]):
        message = qr.sign(payload, KEY, KID) if isinstance(payload, dict) else None
        if message is None:
            protected = qr.protected_header(KID)
            body = cbor2.dumps(payload)
            signature = KEY.sign(cbor2.dumps(["Signature1", protected, b"", body]))
            message = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, body, signature]))
        assert reason(qr.PREFIX + qr.b45encode(zlib.compress(message))) == "payload"


@settings(max_examples=300)
@given(st.text(max_size=300))
def test_garbage_text_is_never_a_crash(text):
    for candidate in (text, qr.PREFIX + text):
        with contextlib.suppress(qr.NotGenuine):
            qr.decode_card(candidate, keys)


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_garbage_bytes_behind_the_prefix_are_never_a_crash(data):
    for payload in (data, zlib.compress(data)):
        with contextlib.suppress(qr.NotGenuine):
            qr.decode_card(qr.PREFIX + qr.b45encode(payload), keys)


@given(st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_any_flipped_byte_of_a_real_card_is_not_genuine_or_the_same_card(position, value):
    compressed = bytearray(qr.b45decode(encoded()[len(qr.PREFIX) :]))
    position %= len(compressed)
    if compressed[position] == value:
        return
    compressed[position] = value
    try:
        signed = qr.decode_card(qr.PREFIX + qr.b45encode(bytes(compressed)), keys)
    except qr.NotGenuine:
        return
    # A change zlib's checksum forgives and that leaves the COSE bytes as they were.
    assert signed.card == CLAIMS


def test_the_verdict_order_is_revoked_suspended_expired_valid():
    signed = qr.decode_card(encoded(expires_at=100), keys)
    assert qr.verdict(signed, revocation_reason=1, now=200) == qr.Verdict.REVOKED
    assert qr.verdict(signed, revocation_reason=2, now=200) == qr.Verdict.SUSPENDED
    assert qr.verdict(signed, revocation_reason=None, now=200) == qr.Verdict.EXPIRED
    assert qr.verdict(signed, revocation_reason=None, now=100) == qr.Verdict.VALID


def test_a_revocation_list_round_trips():
    data = qr.encode_revocations(
        [("1000000018", 1, 1), ("1000000026", 3, 2)],
        issued_at=10,
        next_update=20,
        private_key=KEY,
        kid=KID,
    )
    revocations = qr.decode_revocations(data, keys)
    assert (revocations.issued_at, revocations.next_update) == (10, 20)
    assert revocations.reason_for("1000000018", 1) == 1
    assert revocations.reason_for("1000000026", 3) == 2
    assert revocations.reason_for("1000000018", 2) is None


@given(st.binary(max_size=300))
def test_a_garbage_revocation_list_is_never_a_crash(data):
    with contextlib.suppress(qr.NotGenuine):
        qr.decode_revocations(data, keys)
