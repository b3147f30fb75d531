"""The published test vectors (docs/card-test-vectors/), made deterministically: Ed25519
signatures, canonical CBOR and zlib give the same bytes every time, so
tests/cards/test_card_vectors.py rebuilds them and compares them with the files.

Regenerate after a deliberate format change:
    PYTHONPATH=. python -m tests.cards.card_vectors
"""

import json
import zlib
from pathlib import Path

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from hirfa.cards import claim169, qr, statuslist

FOLDER = Path(__file__).resolve().parents[2] / "docs" / "card-test-vectors"
# The test key of docs/card-qr.md §8 (never used in production).
PRIVATE = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
KID = qr.key_id(PRIVATE.public_key())
ISSUED = 1_767_258_000  # 2026-01-01 09:00 UTC
CHECKED_AT = ISSUED + 86_400  # the moment every expected verdict is stated for
VALID_UNTIL = 1_924_988_399  # 2030-12-31 23:59:59 Africa/Casablanca
EXPIRED_AT = 1_767_221_999  # 2025-12-31 23:59:59 Africa/Casablanca, before CHECKED_AT
LIST_UNTIL = 1_924_988_399
REVOKED_INDEX = 26


def claims(number="1000000018", **changes) -> qr.CardClaims:
    values = dict(
        number=number, version=1, name_ar="فاضمة أيت لحسن", name_latin="Fadma AIT LAHCEN",
        category="artisan_experience", activity="07.04.01", province="09.581",
        first_name_ar="فاضمة", last_name_ar="أيت لحسن", birth_date="1984-04-18", gender=2,
    )  # fmt: skip
    values.update(changes)
    return qr.CardClaims(**values)


def card_text(card: qr.CardClaims, *, index: int, expires_at: int = VALID_UNTIL) -> str:
    return claim169.encode_card(card, issued_at=ISSUED, expires_at=expires_at,
                                status_index=index, private_key=PRIVATE, kid=KID)  # fmt: skip


def altered(text: str) -> str:
    """The holder's Latin name changed, the signature kept: what a forger would print."""
    message = cbor2.loads(zlib.decompress(qr.b45decode(text)))
    protected, unprotected, payload, signature = message.value
    body = cbor2.loads(payload)
    body[claim169.CLAIM_169][claim169.SECONDARY_FULL_NAME] = "Someone ELSE"
    forged = cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(body, canonical=True),
                                signature])  # fmt: skip
    return qr.b45encode(qr.compress(cbor2.dumps(forged)))


def vectors() -> dict[str, bytes]:
    """File name → content."""
    valid = card_text(claims(), index=18)
    before = qr.encode_card(
        qr.CardClaims("1000000018", 1, "فاضمة أيت لحسن", "Fadma AIT LAHCEN",
                      "artisan_experience", "07.04.01", "09.581"),
        issued_at=ISSUED, expires_at=VALID_UNTIL, private_key=PRIVATE, kid=KID,
    )  # fmt: skip
    status_list = statuslist.encode(
        {REVOKED_INDEX: statuslist.INVALID, 27: statuslist.SUSPENDED},
        size=64, issued_at=ISSUED, expires_at=LIST_UNTIL, ttl=86_400,
        private_key=PRIVATE, kid=KID,
    )  # fmt: skip
    cases = {
        "valid.txt": (valid, "valid"),
        "expired.txt": (card_text(claims("1000000026"), index=19, expires_at=EXPIRED_AT),
                        "expired"),
        "revoked.txt": (card_text(claims("1000000034", version=2), index=REVOKED_INDEX),
                        "revoked"),
        "suspended.txt": (card_text(claims("1000000042"), index=27), "suspended"),
        "altered.txt": (altered(valid), "not_genuine"),
        "valid-rna1.txt": (before, "valid"),
    }  # fmt: skip
    public = qr.raw_public_key(PRIVATE.public_key())
    index = {
        "key": {
            "kty": "OKP", "crv": "Ed25519", "alg": "EdDSA",
            "x": _b64url(public), "kid": _b64url(KID), "x_hex": public.hex(), "kid_hex": KID.hex(),
        },
        "issuer": claim169.ISSUER,
        "status_list": {"file": "status-list.cwt", "uri": claim169.STATUS_LIST_URI},
        "checked_at": CHECKED_AT,
        "vectors": [
            {"file": name, "format": "rna1" if text.startswith(qr.PREFIX) else "claim169",
             "verdict": verdict}
            for name, (text, verdict) in cases.items()
        ],
    }  # fmt: skip
    files = {name: text.encode() + b"\n" for name, (text, _verdict) in cases.items()}
    files["status-list.cwt"] = status_list
    files["status-list.cwt.hex"] = status_list.hex().encode() + b"\n"
    files["vectors.json"] = (json.dumps(index, indent=2, ensure_ascii=False) + "\n").encode()
    return files


def _b64url(data: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


if __name__ == "__main__":
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, content in vectors().items():
        (FOLDER / name).write_bytes(content)
        print(FOLDER / name)
