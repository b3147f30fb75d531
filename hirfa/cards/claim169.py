"""The card as an ID Claim 169 credential (docs/card-qr.md §11, docs/decisions/0062).

    text = Base45(zlib(COSE_Sign1(CWT claims with claim 169)))      — no prefix

MOSIP's ID Claim 169 (IANA CWT claim 169) is a CBOR map of numbered identity attributes
in the envelope the register already used (COSE_Sign1, zlib, Base45): any Claim 169
verifier reads the card. Standard attributes carry the identity; the craft data (category,
activity, province, card version, the name in Tifinagh) sit at keys 100–104, outside every
range the specification assigns or reserves ("unassigned numbers may be used within closed
ecosystems"). The card points at its entry in the register's status list (IETF Token Status
List, claim 65535; `statuslist.py`).

Pure functions, like `qr.py`, whose envelope steps they reuse: every failure is
`qr.NotGenuine` with the kind of the step that refused the input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hirfa.cards import qr

# The register's identifier as a Claim 169 issuer (`iss`, an https URI), and the address of
# its status list: names, not the deployment's address (PUBLIC_URL may change; a card's
# signed claims may not).
ISSUER = "https://rna.artisanat.gov.ma"
STATUS_LIST_PATH = "/.well-known/rna-status-list"
STATUS_LIST_URI = ISSUER + STATUS_LIST_PATH

CLAIM_NBF = 5
CLAIM_169 = 169
CLAIM_STATUS = 65535
# A third party's credential may be larger than ours (a face, fingerprints): read up to
# 16 KiB once decompressed, which still costs nothing against a bomb.
MAX_DECOMPRESSED = 16384
MAX_IMAGE_BYTES = 4096

# Standard attributes (specification 1.2.2, §3.1) and their CBOR types.
ID, VERSION, LANGUAGE, FULL_NAME, FIRST_NAME, MIDDLE_NAME, LAST_NAME = 1, 2, 3, 4, 5, 6, 7
DATE_OF_BIRTH, GENDER, SECONDARY_FULL_NAME, SECONDARY_LANGUAGE = 8, 9, 19, 20
COUNTRY_OF_ISSUANCE, FACE = 23, 62
TEXT_ATTRIBUTES = frozenset({1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 15, 19, 20, 21, 22, 23})
INT_ATTRIBUTES = frozenset({9, 14, 17})
BIOMETRIC_ATTRIBUTES = frozenset(range(50, 66))
GENDER_MALE, GENDER_FEMALE, GENDER_OTHER = 1, 2, 3
BIOMETRIC_DATA, BIOMETRIC_FORMAT, BIOMETRIC_SUB_FORMAT, BIOMETRIC_ISSUER = 0, 1, 2, 3
FORMAT_IMAGE = 0
IMAGE_JPEG, IMAGE_WEBP = 1, 4

# The register's own attributes, for verifiers of this closed ecosystem (§11).
CRAFT_CATEGORY, CRAFT_ACTIVITY, CRAFT_PROVINCE, CARD_VERSION, NAME_TIFINAGH = (
    100, 101, 102, 103, 104,
)  # fmt: skip
CRAFT_TEXT = frozenset({CRAFT_CATEGORY, CRAFT_ACTIVITY, CRAFT_PROVINCE, NAME_TIFINAGH})

LANGUAGE_ARABIC = "ara"
LANGUAGE_FRENCH = "fra"
COUNTRY = "MA"
_DATE = re.compile(r"\d{8}")
BASE45_TEXT = re.compile(r"[0-9A-Z $%*+\-./:]+")


@dataclass(frozen=True)
class StatusReference:
    index: int
    uri: str


@dataclass(frozen=True)
class Identity:
    """What a Claim 169 credential says, checked for types; unknown attributes dropped."""

    attributes: dict  # standard attributes by number
    craft: dict  # the register's attributes (100–104) by number
    issuer: str
    issued_at: int | None
    expires_at: int | None
    not_before: int | None
    status: StatusReference | None
    kid: bytes | None
    face: bytes | None = field(default=None, repr=False)


def face_item(image: bytes, sub_format: int = IMAGE_WEBP) -> dict:
    return {BIOMETRIC_DATA: image, BIOMETRIC_FORMAT: FORMAT_IMAGE, BIOMETRIC_SUB_FORMAT: sub_format}


def identity_map(card: qr.CardClaims) -> dict:
    """Claim 169 for a card: Arabic first (its language), Latin letters second."""
    out = {
        ID: card.number,
        LANGUAGE: LANGUAGE_ARABIC,
        FULL_NAME: card.name_ar,
        SECONDARY_FULL_NAME: card.name_latin,
        SECONDARY_LANGUAGE: LANGUAGE_FRENCH,
        COUNTRY_OF_ISSUANCE: COUNTRY,
        CRAFT_CATEGORY: card.category,
        CRAFT_ACTIVITY: card.activity,
        CRAFT_PROVINCE: card.province,
        CARD_VERSION: card.version,
    }
    if card.first_name_ar:
        out[FIRST_NAME] = card.first_name_ar
    if card.last_name_ar:
        out[LAST_NAME] = card.last_name_ar
    if card.birth_date:
        out[DATE_OF_BIRTH] = card.birth_date.replace("-", "")
    if card.gender:
        out[GENDER] = card.gender
    if card.name_zgh:
        out[NAME_TIFINAGH] = card.name_zgh
    if card.face:
        out[FACE] = [face_item(card.face)]
    return out


def encode_card(
    card: qr.CardClaims,
    *,
    issued_at: int,
    expires_at: int,
    status_index: int,
    private_key: Ed25519PrivateKey,
    kid: bytes,
) -> str:
    payload = {
        qr.CLAIM_ISS: ISSUER,
        qr.CLAIM_EXP: int(expires_at),
        CLAIM_NBF: int(issued_at),
        qr.CLAIM_IAT: int(issued_at),
        CLAIM_169: identity_map(card),
        CLAIM_STATUS: {"status_list": {"idx": int(status_index), "uri": STATUS_LIST_URI}},
    }
    return qr.b45encode(qr.compress(qr.sign(payload, private_key, kid)))


def looks_like(text: str) -> bool:
    """Could this be a bare Claim 169 text: Base45 alone, whose first two bytes are a zlib
    header (RFC 1950: 0x78, and a multiple of 31)? Another scheme's text (`HC1:…`) is not."""
    if len(text) < 32 or not BASE45_TEXT.fullmatch(text):
        return False
    try:
        head = qr.b45decode(text[:3])
    except ValueError:
        return False
    return head[0] == 0x78 and (head[0] * 256 + head[1]) % 31 == 0


# --- Reading any Claim 169 credential --------------------------------------------------


def _optional_int(payload: Mapping, key: int) -> int | None:
    value = payload.get(key)
    if value is not None and type(value) is not int:
        raise qr.NotGenuine("payload", f"claim {key} is not an integer")
    return value


def _biometrics(key: int, value) -> list:
    if not isinstance(value, list | tuple) or not value:
        raise qr.NotGenuine("payload", f"attribute {key} is not a list of biometrics")
    for item in value:
        if not isinstance(item, Mapping) or type(item.get(BIOMETRIC_DATA)) is not bytes:
            raise qr.NotGenuine("payload", f"attribute {key}: biometric data missing")
        if len(item[BIOMETRIC_DATA]) > MAX_IMAGE_BYTES:
            raise qr.NotGenuine("payload", f"attribute {key}: image over {MAX_IMAGE_BYTES} bytes")
        for sub, kind in ((BIOMETRIC_FORMAT, int), (BIOMETRIC_SUB_FORMAT, int)):
            if sub in item and type(item[sub]) is not kind:
                raise qr.NotGenuine("payload", f"attribute {key}: format of a wrong type")
        if BIOMETRIC_ISSUER in item and type(item[BIOMETRIC_ISSUER]) is not str:
            raise qr.NotGenuine("payload", f"attribute {key}: issuer of a wrong type")
    return list(value)


def _checked_attributes(identity) -> tuple[dict, dict]:
    if not isinstance(identity, Mapping):
        raise qr.NotGenuine("payload", "claim 169 missing or not a map")
    standard, craft = {}, {}
    for key, value in identity.items():
        if key in TEXT_ATTRIBUTES or key in CRAFT_TEXT:
            if type(value) is not str:
                raise qr.NotGenuine("payload", f"attribute {key} is not text")
        elif key in INT_ATTRIBUTES or key == CARD_VERSION:
            if type(value) is not int:
                raise qr.NotGenuine("payload", f"attribute {key} is not an integer")
        elif key == 16:  # the photograph before 1.2.2 (deprecated, still read)
            if type(value) is not bytes or len(value) > MAX_IMAGE_BYTES:
                raise qr.NotGenuine("payload", "attribute 16 is not an image of a fitting size")
        elif key == 18:
            if not isinstance(value, list | tuple) or any(type(v) is not int for v in value):
                raise qr.NotGenuine("payload", "attribute 18 is not a list of integers")
        elif key in BIOMETRIC_ATTRIBUTES:
            value = _biometrics(key, value)
        else:
            continue  # unknown attributes are ignored (forward compatibility)
        (craft if key >= CRAFT_CATEGORY else standard)[key] = value
    if GENDER in standard and standard[GENDER] not in (GENDER_MALE, GENDER_FEMALE, GENDER_OTHER):
        raise qr.NotGenuine("payload", "gender outside 1, 2, 3")
    return standard, craft


def _status(payload: Mapping) -> StatusReference | None:
    status = payload.get(CLAIM_STATUS)
    if status is None:
        return None
    reference = status.get("status_list") if isinstance(status, Mapping) else None
    if not isinstance(reference, Mapping):
        raise qr.NotGenuine("payload", "status claim without a status list")
    index, uri = reference.get("idx"), reference.get("uri")
    if type(index) is not int or index < 0 or type(uri) is not str:
        raise qr.NotGenuine("payload", "status list reference malformed")
    return StatusReference(index, uri)


def read(
    text: str,
    keys: Callable[[bytes | None], Ed25519PublicKey | None],
    *,
    issuer: str | None = ISSUER,
) -> Identity:
    """Any Claim 169 credential signed with EdDSA whose signature checks against
    `keys(kid)` (kid None when the credential names no key). `issuer` None accepts any
    issuer (a third party's test vectors); otherwise `iss` must be it."""
    if not isinstance(text, str):
        raise qr.NotGenuine("prefix")
    text = qr.payload_text(text)
    if len(text) > qr.MAX_TEXT:
        raise qr.NotGenuine("too_large", "longer than a QR code holds")
    try:
        compressed = qr.b45decode(text)
    except ValueError as error:
        raise qr.NotGenuine("base45", str(error)) from None
    data = qr.inflate(compressed, MAX_DECOMPRESSED)
    payload, header = qr.open_signed_header(data, keys, kid_required=False)
    iss = payload.get(qr.CLAIM_ISS)
    if type(iss) is not str or (issuer is not None and iss != issuer):
        raise qr.NotGenuine("payload", "another issuer")
    if CLAIM_169 not in payload:
        raise qr.NotGenuine("payload", "no claim 169")
    standard, craft = _checked_attributes(payload[CLAIM_169])
    faces = standard.get(FACE) or []
    face = next(
        (item[BIOMETRIC_DATA] for item in faces if item.get(BIOMETRIC_FORMAT, 0) == FORMAT_IMAGE),
        None,
    )
    return Identity(
        attributes=standard,
        craft=craft,
        issuer=iss,
        issued_at=_optional_int(payload, qr.CLAIM_IAT),
        expires_at=_optional_int(payload, qr.CLAIM_EXP),
        not_before=_optional_int(payload, CLAIM_NBF),
        status=_status(payload),
        kid=header.get(qr.HEADER_KID),
        face=face,
    )


def _iso(date: str) -> str:
    return f"{date[:4]}-{date[4:6]}-{date[6:]}" if _DATE.fullmatch(date) else ""


def signed_card(identity: Identity) -> qr.SignedCard:
    """The register's card a Claim 169 credential of this issuer holds."""
    a, c = identity.attributes, identity.craft
    missing = [k for k in (ID, FULL_NAME, SECONDARY_FULL_NAME) if k not in a] + [
        k for k in (CRAFT_CATEGORY, CRAFT_ACTIVITY, CRAFT_PROVINCE, CARD_VERSION) if k not in c
    ]
    if missing:
        raise qr.NotGenuine("payload", f"card attributes missing: {missing}")
    if not 0 < c[CARD_VERSION] < 2**31:
        raise qr.NotGenuine("payload", "card version out of range")
    if identity.issued_at is None or identity.expires_at is None or identity.kid is None:
        raise qr.NotGenuine("payload", "iat, exp or kid missing")
    if identity.status is None or identity.status.uri != STATUS_LIST_URI:
        raise qr.NotGenuine("payload", "no status list entry of this register")
    card = qr.CardClaims(
        number=a[ID],
        version=c[CARD_VERSION],
        name_ar=a[FULL_NAME],
        name_latin=a[SECONDARY_FULL_NAME],
        category=c[CRAFT_CATEGORY],
        activity=c[CRAFT_ACTIVITY],
        province=c[CRAFT_PROVINCE],
        name_zgh=c.get(NAME_TIFINAGH, ""),
        first_name_ar=a.get(FIRST_NAME, ""),
        last_name_ar=a.get(LAST_NAME, ""),
        birth_date=_iso(a.get(DATE_OF_BIRTH, "")),
        gender=a.get(GENDER),
        face=identity.face,
    )
    return qr.SignedCard(
        card=card,
        issued_at=identity.issued_at,
        expires_at=identity.expires_at,
        kid=identity.kid,
        status=identity.status,
    )


def decode_card(text: str, keys: Callable[[bytes], Ed25519PublicKey | None]) -> qr.SignedCard:
    return signed_card(read(text, lambda kid: keys(kid) if kid is not None else None))
