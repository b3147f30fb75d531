"""docs/card-qr.md is the specification other verifiers are written from: its worked
example must be exactly what hirfa produces, and verify from the file's data alone."""

import re

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from hirfa.cards import qr
from tests.helpers import block_after, card_qr_doc

DOC = card_qr_doc()


def test_the_worked_example_verifies_with_the_documented_public_key():
    x = re.search(r"public key `x` = `([0-9a-f]{64})`", DOC).group(1)
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(x))
    kid_hex = re.search(r"SHA-256\(x\) = `([0-9a-f]{16})`", DOC).group(1)
    kid = bytes.fromhex(kid_hex)
    signed = qr.decode_card(block_after("**QR text**"), {kid: public}.get)
    assert (signed.card.number, signed.card.name_latin) == ("1000000018", "Fadma AIT LAHCEN")
    assert (signed.issued_at, signed.expires_at) == (1767258000, 1924988399)


def test_the_worked_example_is_byte_for_byte_what_hirfa_signs():
    seed = bytes.fromhex(re.search(r"the 32 bytes\n?`([0-9a-f]{64})`", DOC).group(1))
    key = Ed25519PrivateKey.from_private_bytes(seed)
    kid = qr.key_id(key.public_key())
    claims = qr.CardClaims("1000000018", 1, "فاضمة أيت لحسن", "Fadma AIT LAHCEN",
                           "artisan_experience", "07.04.01", "09.581")  # fmt: skip
    text = qr.encode_card(claims, issued_at=1767258000, expires_at=1924988399, private_key=key,
                          kid=kid)  # fmt: skip
    assert text == block_after("**QR text**")
    assert qr.sign(
        {1: "MA-RNA", 4: 1924988399, 6: 1767258000, -70000: claims.as_map()}, key, kid
    ).hex() == block_after("**COSE_Sign1**")
    revocations = qr.encode_revocations(
        [("1000000018", 1, 1), ("1000000026", 2, 2)],
        issued_at=1767258000,
        next_update=1767344400,
        private_key=key,
        kid=kid,
    )
    assert revocations.hex() == block_after("and the whole COSE_Sign1 served")
