"""docs/card-qr.md alone is enough: the browser verifier, given only the worked example's
public key, QR text and revocation list, reaches the verdicts the document states."""

import re

import pytest

from tests.helpers import ROOT, block_after, card_qr_doc

pytestmark = pytest.mark.browser

DOC = card_qr_doc()
RNA_JS = ROOT / "hirfa/verification/static/hirfa/verify/rna.js"


def test_the_worked_example_reads_as_the_document_says(desk):
    jwk = {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": re.search(r"base64url `([A-Za-z0-9_-]{43})`", DOC).group(1),
        "kid": re.search(r"SHA-256\(x\) = `[0-9a-f]{16}`, base64url `([A-Za-z0-9_-]+)`", DOC).group(
            1
        ),
    }
    # WebCrypto needs a secure context, which a blank page is not: a made-up https page is.
    page_url = "https://verifier.invalid/"
    desk.route(
        page_url, lambda route: route.fulfill(body="<!doctype html>", content_type="text/html")
    )
    desk.goto(page_url)
    assert desk.evaluate("isSecureContext")
    desk.add_script_tag(path=str(RNA_JS))
    found = desk.evaluate(
        """async ([jwk, text, listHex]) => {
          const keys = await RNA.importKeys({keys: [jwk]});
          const signed = await RNA.decodeCard(text, keys);
          const bytes = Uint8Array.from(listHex.match(/../g), h => parseInt(h, 16));
          const list = await RNA.decodeRevocations(bytes, keys);
          const at = Date.UTC(2027, 0, 1) / 1000;
          return {
            card: signed.card, iat: signed.issuedAt, exp: signed.expiresAt,
            unlisted: RNA.verdict(signed, {now: at}),
            listed: RNA.verdict(signed, {listReason: list.reasonFor("1000000018", 1), now: at}),
            suspended: list.reasonFor("1000000026", 2),
            later: RNA.verdict(signed, {now: 1924988400}),
          };
        }""",
        [jwk, block_after("**QR text**"), block_after("served at `/.well-known/rna-revocations`")],
    )
    assert found["card"]["number"] == "1000000018"
    assert found["card"]["nameLatin"] == "Fadma AIT LAHCEN"
    assert found["card"]["nameAr"] == "فاضمة أيت لحسن"
    assert (found["iat"], found["exp"]) == (1767258000, 1924988399)
    assert found["unlisted"] == "valid"
    assert found["listed"] == "revoked"
    assert found["suspended"] == 2
    assert found["later"] == "expired"
