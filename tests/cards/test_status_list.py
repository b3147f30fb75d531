"""The status list: an IETF Token Status List in its CWT form, each Claim 169 card pointing
at its index (docs/card-qr.md §12, docs/decisions/0063)."""

import zlib

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hirfa.cards import claim169, qr, statuslist
from hirfa.register import services as register
from tests.cards.test_public import published
from tests.factories import issued_card, officer_of

PRIVATE = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KID = qr.key_id(PRIVATE.public_key())
NOW = 1_767_258_000


def our_key(kid):
    return PRIVATE.public_key() if kid == KID else None


def signed_list(statuses=None, *, size=16, issued_at=NOW, expires_at=NOW + 86400, key=PRIVATE):
    return statuslist.encode(statuses or {}, size=size, issued_at=issued_at,
                             expires_at=expires_at, ttl=3600, private_key=key,
                             kid=qr.key_id(key.public_key()))  # fmt: skip


def test_statuses_are_packed_two_bits_each_least_significant_first():
    # The draft's 2-bit example: statuses 1 2 0 3 | 0 1 0 1 | 1 2 3 3.
    values = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3]
    assert statuslist.pack(dict(enumerate(values)), 12) == bytes([0xC9, 0x44, 0xF9])


def test_a_signed_list_says_each_card_s_status():
    listed = statuslist.decode(signed_list({3: 1, 9: 2}), our_key, now=NOW)
    assert [listed.status(i) for i in (0, 3, 9, 15)] == [0, 1, 2, 0]
    assert listed.status(16) is None  # a card issued after the list was signed
    assert (listed.issued_at, listed.ttl, listed.bits) == (NOW, 3600, 2)


def test_the_list_is_a_typed_cwt_with_iss_sub_and_a_zlib_status_list():
    message = cbor2.loads(signed_list({1: 1}))
    protected, _unprotected, body, _signature = message.value
    assert cbor2.loads(protected) == {1: -8, 4: KID, 16: "application/statuslist+cwt"}
    claims = cbor2.loads(body)
    assert (claims[1], claims[2]) == (claim169.ISSUER, claim169.STATUS_LIST_URI)
    assert claims[65533]["bits"] == 2
    assert zlib.decompress(claims[65533]["lst"])[0] == 0b0100


def refused(data, now=NOW) -> str:
    with pytest.raises(qr.NotGenuine) as error:
        statuslist.decode(data, our_key, now=now)
    return error.value.kind


def test_a_stale_list_is_refused():
    assert refused(signed_list(), now=NOW + 86401) == "stale"


def test_an_unsigned_list_is_refused():
    data = cbor2.dumps(cbor2.CBORTag(18, [cbor2.dumps({1: -8, 4: KID, 16: statuslist.TYPE}),
                                          {}, cbor2.dumps({}), b""]))  # fmt: skip
    assert refused(data) == "signature"


def test_a_list_signed_by_another_key_is_refused():
    assert refused(signed_list(key=Ed25519PrivateKey.generate())) == "unknown_kid"


def reseal(change, header=None) -> bytes:
    message = cbor2.loads(signed_list())
    protected, _unprotected, body, _signature = message.value
    claims = cbor2.loads(body)
    claims.update(change)
    header = header or cbor2.loads(protected)
    return qr.sign(claims, PRIVATE, KID) if header == {1: -8, 4: KID} else (
        cbor2.dumps(cbor2.CBORTag(18, [p := cbor2.dumps(header, canonical=True), {},
                                       b := cbor2.dumps(claims, canonical=True),
                                       PRIVATE.sign(qr._sig_structure(p, b))]))
    )  # fmt: skip


@pytest.mark.parametrize(
    "change",
    [
        {1: "https://another.example"},
        {2: "https://rna.artisanat.gov.ma/another-list"},
        {65533: {"bits": 3, "lst": zlib.compress(b"\0")}},
        {65533: {"bits": 2, "lst": "text"}},
        {65534: -5},
        {6: "yesterday"},
    ],
)
def test_a_list_for_another_issuer_or_malformed_is_refused(change):
    assert refused(reseal(change)) == "payload"


def test_a_card_signed_as_a_card_is_not_a_status_list():
    assert refused(reseal({}, header={1: -8, 4: KID})) == "structure"


def test_a_list_inflating_past_its_bound_is_refused():
    bomb = zlib.compress(b"\0" * (statuslist.MAX_LIST_BYTES + 1))
    assert refused(reseal({65533: {"bits": 2, "lst": bomb}})) == "too_large"


# --- Served by the register ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_revoked_card_reads_revoked_from_the_served_status_list(client, run_jobs):
    officer = officer_of("09.581")
    card = issued_card(run_jobs, officer=officer)
    keys = published(client)
    signed = qr.decode_card(card.qr_text, keys.get)
    assert signed.status.index == card.pk

    response = client.get("/.well-known/rna-status-list")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/statuslist+cwt"
    assert response["Access-Control-Allow-Origin"] == "*"
    now = int(signed.issued_at)
    before = statuslist.decode(response.content, keys.get, now=now)
    assert statuslist.revocation_reason(signed, before) is None
    assert qr.verdict(signed, revocation_reason=None, now=now) == qr.Verdict.VALID

    register.suspend(officer=officer, registration=card.registration, reason="x", until=None)
    after = statuslist.decode(client.get("/.well-known/rna-status-list").content, keys.get, now=now)
    assert statuslist.revocation_reason(signed, after) == qr.REASON_SUSPENDED
    register.reinstate(officer=officer, registration=card.registration, reason="y")
    again = statuslist.decode(client.get("/.well-known/rna-status-list").content, keys.get, now=now)
    reason = statuslist.revocation_reason(signed, again)
    assert qr.verdict(signed, revocation_reason=reason, now=now) == qr.Verdict.REVOKED


@pytest.mark.django_db
def test_an_unchanged_status_list_answers_not_modified(client, run_jobs):
    issued_card(run_jobs)
    first = client.get("/.well-known/rna-status-list")
    again = client.get("/.well-known/rna-status-list", headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304


@pytest.mark.django_db
def test_the_status_list_covers_cards_issued_after_it_was_signed(client, run_jobs):
    card = issued_card(run_jobs)
    listed = statuslist.decode(client.get("/.well-known/rna-status-list").content,
                               published(client).get, now=0)  # fmt: skip
    assert listed.size % 16384 == 0 and listed.size > card.pk + 1000
