"""The card as an ID Claim 169 credential (docs/card-qr.md §11, docs/decisions/0062),
checked by someone else's code: the `claim169` library (PyPI, MIT) decodes and verifies our
cards, and our reader accepts what that library signs."""

import io

import cbor2
import claim169 as independent
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image

from hirfa.cards import claim169, keys, printing, qr
from hirfa.cards.reading import texts_in_pdf
from hirfa.cards.verification import verify_text
from tests.factories import issued_card

SEED = bytes(range(32))
PRIVATE = Ed25519PrivateKey.from_private_bytes(SEED)
KID = qr.key_id(PRIVATE.public_key())
ISSUED, EXPIRES = 1_767_258_000, 1_924_988_399


def claims(**changes) -> qr.CardClaims:
    values = dict(
        number="1000000018", version=1, name_ar="فاضمة أيت لحسن", name_latin="Fadma AIT LAHCEN",
        category="artisan_experience", activity="07.04.01", province="09.581",
        first_name_ar="فاضمة", last_name_ar="أيت لحسن", birth_date="1984-04-18", gender=2,
    )  # fmt: skip
    values.update(changes)
    return qr.CardClaims(**values)


def encoded(card=None, index=7) -> str:
    return claim169.encode_card(card or claims(), issued_at=ISSUED, expires_at=EXPIRES,
                                status_index=index, private_key=PRIVATE, kid=KID)  # fmt: skip


def our_key(kid):
    return PRIVATE.public_key() if kid == KID else None


def signed_text(payload, key=PRIVATE, kid=KID) -> str:
    return qr.b45encode(qr.compress(qr.sign(payload, key, kid)))


def payload(identity=None):
    base = claim169.identity_map(claims())
    base.update(identity or {})
    return {1: claim169.ISSUER, 4: EXPIRES, 6: ISSUED, 169: base,
            65535: {"status_list": {"idx": 7, "uri": claim169.STATUS_LIST_URI}}}  # fmt: skip


def raw_public() -> bytes:
    return qr.raw_public_key(PRIVATE.public_key())


# --- The independent library reads our cards -------------------------------------------


def test_the_independent_library_verifies_our_card_and_reads_its_standard_attributes():
    result = independent.decode_with_ed25519(encoded(), raw_public(), validate_timestamps=False)
    assert result.is_verified()
    identity = result.claim169
    assert (identity.id, identity.full_name) == ("1000000018", "فاضمة أيت لحسن")
    assert (identity.first_name, identity.last_name) == ("فاضمة", "أيت لحسن")
    assert (identity.secondary_full_name, identity.secondary_language) == (
        "Fadma AIT LAHCEN",
        "fra",
    )
    assert (identity.language, identity.date_of_birth, identity.gender) == ("ara", "19840418", 2)
    assert identity.country_of_issuance == "MA"
    assert result.cwt_meta.issuer == "https://rna.artisanat.gov.ma"
    assert (result.cwt_meta.issued_at, result.cwt_meta.expires_at) == (ISSUED, EXPIRES)


def test_the_independent_library_refuses_our_card_under_another_key():
    other = qr.raw_public_key(Ed25519PrivateKey.generate().public_key())
    with pytest.raises(independent.SignatureError):
        independent.decode_with_ed25519(encoded(), other, validate_timestamps=False)


def test_the_independent_library_refuses_an_altered_card():
    text = encoded()
    data = bytearray(qr.inflate(qr.b45decode(text)))
    data[data.index(b"Fadma")] ^= 0x20
    altered = qr.b45encode(qr.compress(bytes(data)))
    with pytest.raises(independent.SignatureError):
        independent.decode_with_ed25519(altered, raw_public(), validate_timestamps=False)


@pytest.mark.django_db
def test_the_independent_library_verifies_a_card_read_back_from_its_printed_pdf(run_jobs):
    card = issued_card(run_jobs)
    (scanned,) = texts_in_pdf(printing.card_pdf(card))
    assert scanned == card.qr_text  # the code holds the Claim 169 text alone
    key = keys.public_key(keys.b64url_decode(card.kid))
    result = independent.decode_with_ed25519(scanned, qr.raw_public_key(key))
    assert result.is_verified()
    person = card.registration.person
    assert result.claim169.id == card.registration.number
    assert result.claim169.full_name == f"{person.first_name_ar} {person.last_name_ar}"
    assert result.claim169.date_of_birth == person.birth_date.strftime("%Y%m%d")
    assert result.claim169.gender == {"M": 1, "F": 2}[person.sex]
    assert verify_text(scanned).verdict == qr.Verdict.VALID


# --- Our reader accepts what the independent library signs ------------------------------


def library_text(**fields) -> str:
    identity = independent.Claim169Input(id="ID-SIGNED-001", full_name="Signed Test Person")
    for name, value in fields.items():
        setattr(identity, name, value)
    meta = independent.CwtMetaInput(issuer="https://mosip.example.org", expires_at=1_800_000_000)
    meta.issued_at = 1_700_000_000
    return independent.encode_with_ed25519(identity, meta, SEED)


def any_key(kid):
    return PRIVATE.public_key()


def test_our_reader_verifies_a_credential_the_library_signed():
    identity = claim169.read(library_text(), any_key, issuer=None)
    assert identity.attributes[claim169.ID] == "ID-SIGNED-001"
    assert identity.attributes[claim169.FULL_NAME] == "Signed Test Person"
    assert (identity.issuer, identity.expires_at) == ("https://mosip.example.org", 1_800_000_000)


def test_our_reader_verifies_the_library_s_demographics():
    text = library_text(date_of_birth="19880102", gender=1, nationality="IN",
                        secondary_full_name="جاناردان", secondary_language="ara")  # fmt: skip
    attributes = claim169.read(text, any_key, issuer=None).attributes
    assert attributes[claim169.DATE_OF_BIRTH] == "19880102"
    assert attributes[claim169.GENDER] == 1
    assert attributes[claim169.SECONDARY_FULL_NAME] == "جاناردان"


def test_our_reader_refuses_the_library_s_credential_under_another_key():
    with pytest.raises(qr.NotGenuine) as refused:
        claim169.read(library_text(), lambda kid: Ed25519PrivateKey.generate().public_key(),
                      issuer=None)  # fmt: skip
    assert refused.value.kind == "signature"


def test_a_credential_of_another_issuer_is_not_one_of_our_cards():
    with pytest.raises(qr.NotGenuine) as refused:
        qr.decode_card(library_text(), any_key)
    assert refused.value.kind in ("payload", "unknown_kid")


# --- Our cards, both formats ------------------------------------------------------------


def test_a_claim_169_card_decodes_to_the_same_card_claims():
    signed = qr.decode_card(encoded(claims(name_zgh="ⴼⴰⴹⵎⴰ")), our_key)
    assert signed.card == claims(name_zgh="ⴼⴰⴹⵎⴰ")
    assert signed.standard
    assert (signed.status.index, signed.status.uri) == (7, claim169.STATUS_LIST_URI)
    assert (signed.issued_at, signed.expires_at, signed.kid) == (ISSUED, EXPIRES, KID)


def test_an_entity_s_card_has_no_birth_date_gender_or_first_name():
    card = claims(first_name_ar="", last_name_ar="", birth_date="", gender=None)
    identity = claim169.identity_map(card)
    assert not {claim169.FIRST_NAME, claim169.DATE_OF_BIRTH, claim169.GENDER} & set(identity)
    assert qr.decode_card(encoded(card), our_key).card == card


def test_the_card_text_is_base45_alone():
    text = encoded()
    assert set(text) <= set(qr.BASE45_ALPHABET) and claim169.looks_like(text)
    assert qr.is_signed_text(text)


# --- Bad input: the right verdict, never a crash ----------------------------------------


def reason(text) -> str:
    with pytest.raises(qr.NotGenuine) as refused:
        qr.decode_card(text, our_key)
    return refused.value.kind


def test_unknown_attributes_are_ignored():
    text = signed_text(payload({30: "reserved", 99: True, 250: b"\x01"}))
    assert qr.decode_card(text, our_key).card == claims()


@pytest.mark.parametrize(
    "attribute, value",
    [
        (claim169.ID, 1000000018),
        (claim169.FULL_NAME, b"bytes"),
        (claim169.GENDER, "F"),
        (claim169.GENDER, 7),
        (claim169.DATE_OF_BIRTH, 19840418),
        (claim169.CRAFT_CATEGORY, 3),
        (claim169.CARD_VERSION, "1"),
        (claim169.CARD_VERSION, 0),
        (claim169.FACE, b"not a list"),
        (claim169.FACE, [{0: "not bytes"}]),
        (claim169.FACE, [{0: b"x", 1: "image"}]),
    ],
)
def test_an_attribute_of_a_wrong_type_is_not_genuine(attribute, value):
    assert reason(signed_text(payload({attribute: value}))) == "payload"


def test_an_oversize_face_image_is_not_genuine():
    face = [claim169.face_item(bytes(claim169.MAX_IMAGE_BYTES + 1))]
    assert reason(signed_text(payload({claim169.FACE: face}))) in ("payload", "too_large")


def test_a_small_face_image_is_read():
    buffer = io.BytesIO()
    Image.new("L", (36, 48), 128).save(buffer, format="WEBP", quality=20)
    signed = qr.decode_card(encoded(claims(face=buffer.getvalue())), our_key)
    assert signed.card.face == buffer.getvalue()


@pytest.mark.parametrize(
    "change",
    [
        {169: "not a map"},
        {1: "MA-RNA"},
        {1: "https://another.example"},
        {4: "2030"},
        {65535: {"status_list": {"idx": -1, "uri": claim169.STATUS_LIST_URI}}},
        {65535: {"status_list": {"idx": 7, "uri": "https://another.example/list"}}},
        {65535: "no map"},
    ],
)
def test_a_malformed_claims_set_is_not_genuine(change):
    body = payload()
    body.update(change)
    assert reason(signed_text(body)) == "payload"


def test_a_card_without_its_status_list_entry_is_not_one_of_ours():
    body = payload()
    del body[65535]
    assert reason(signed_text(body)) == "payload"


def test_a_card_signed_with_an_unknown_key_is_not_genuine():
    other = Ed25519PrivateKey.generate()
    assert reason(signed_text(payload(), other, qr.key_id(other.public_key()))) == "unknown_kid"


def test_a_truncated_card_text_is_not_genuine():
    assert reason(encoded()[:-7]) in ("base45", "zlib")


def test_a_card_decompressing_past_the_bound_is_not_genuine():
    bomb = qr.b45encode(qr.compress(cbor2.dumps([b"\0" * 40000])))
    assert reason(bomb) == "too_large"


# --- The API and `hirfa verify_card` read both formats ---------------------------------


@pytest.mark.django_db
def test_the_api_verifies_a_claim_169_card_and_a_card_printed_before(client, run_jobs):
    from tests.factories import signed_as_before

    card = issued_card(run_jobs)
    for text in (card.qr_text, signed_as_before(card).qr_text):
        body = client.post("/api/v1/cards/verify", {"qr": text},
                           content_type="application/json").json()  # fmt: skip
        assert (body["verdict"], body["card"]["number"]) == ("valid", card.registration.number)


@pytest.mark.django_db
def test_verify_card_reads_a_claim_169_card_from_its_pdf(run_jobs, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    card = issued_card(run_jobs)
    path = tmp_path / "card.pdf"
    path.write_bytes(printing.card_pdf(card))
    out = StringIO()
    call_command("verify_card", str(path), stdout=out)
    assert out.getvalue().startswith("VALID")
    assert card.registration.number in out.getvalue()


@pytest.mark.django_db
def test_a_revoked_claim_169_card_reads_revoked_on_the_server(client, run_jobs):
    from hirfa.cards import services as cards
    from tests.factories import agent_of

    agent = agent_of("09")
    card = issued_card(run_jobs, agent=agent)
    cards.reissue(actor=agent, registration=card.registration, reason="lost")
    assert verify_text(card.qr_text).verdict == qr.Verdict.REVOKED


@pytest.mark.django_db
def test_a_card_that_cannot_be_signed_leaves_no_card_behind(run_jobs, monkeypatch):
    from hirfa.cards import services as cards
    from hirfa.cards.models import Card
    from tests.factories import agent_of

    agent = agent_of("09")
    card = issued_card(run_jobs, agent=agent)

    def broken(*args, **kwargs):
        raise RuntimeError("the signer failed")

    monkeypatch.setattr(claim169, "encode_card", broken)
    with pytest.raises(RuntimeError):
        cards.reissue(actor=agent, registration=card.registration, reason="lost")
    assert list(Card.objects.values_list("version", "status")) == [(1, "current")]
    assert not Card.objects.filter(qr_text="").exists()
