"""Cards for the verification tests: real ones from hirfa.cards, and doctored ones."""

import base64
import zlib
from datetime import timedelta
from pathlib import Path

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone

from hirfa.cards import claim169, keys, printing, qr
from tests.factories import agent_of, issued_card

CLAIMS = qr.CardClaims(
    number="1000000017",
    version=1,
    name_ar="فاطمة آيت لحسن",
    name_latin="Fatima AIT LAHCEN",
    category="master",
    activity="01.01",
    province="09.581",
)


def real_card(run_jobs, agent=None):
    return issued_card(run_jobs, agent=agent or agent_of("09"))


def signed_text(claims=CLAIMS, *, expires_in_days=365, private_key=None):
    """A card text signed now; with the register's current key unless told otherwise."""
    now = int(timezone.now().timestamp())
    if private_key is None:
        key = keys.signing_key()
        private_key, kid = key.private_key, key.kid
    else:
        kid = qr.key_id(private_key.public_key())
    return qr.encode_card(
        claims,
        issued_at=now - 86400,
        expires_at=now + int(timedelta(days=expires_in_days).total_seconds()),
        private_key=private_key,
        kid=kid,
    )


def forged_text():
    """The same card signed by a key the register never published."""
    return signed_text(private_key=Ed25519PrivateKey.generate())


def altered_text(text: str) -> str:
    """A genuine text whose holder was changed, the signature kept: as a forger would. A
    card printed before (`RNA1:…`) or a Claim 169 card."""
    before = text.startswith(qr.PREFIX)
    message = cbor2.loads(zlib.decompress(qr.b45decode(text[len(qr.PREFIX) :] if before else text)))
    protected, unprotected, payload, signature = message.value
    claims = cbor2.loads(payload)
    if before:
        claims[qr.CLAIM_CARD]["la"] = "Someone ELSE"
    else:
        claims[claim169.CLAIM_169][claim169.SECONDARY_FULL_NAME] = "Someone ELSE"
    altered = cbor2.CBORTag(18, [protected, unprotected, cbor2.dumps(claims), signature])
    return (qr.PREFIX if before else "") + qr.b45encode(zlib.compress(cbor2.dumps(altered)))


def bomb_text() -> str:
    """Valid zlib whose output is far past the 4096-byte bound."""
    return qr.PREFIX + qr.b45encode(zlib.compress(b"\0" * 1_000_000, 9))


def card_page_png(card, folder: Path) -> tuple[Path, str]:
    """The card's PDF page that bears the QR code as a picture, as a scanner gives it, and
    the text zxing-cpp reads from that picture."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(printing.card_pdf(card))
    try:
        for index in range(len(document)):
            image = document[index].render(scale=300 / 72).to_pil()
            codes = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
            if codes:
                path = folder / f"card-page-{index + 1}.png"
                image.save(path)
                return path, codes[0].text
    finally:
        document.close()
    raise AssertionError("no page of the card's PDF bears a QR code")


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def camera_video(picture: Path, text: str, folder: Path) -> Path:
    """A Y4M clip of the card's QR code held up to a 640×480 camera, for Chromium's fake
    capture device."""
    import zxingcpp
    from PIL import Image

    with Image.open(picture) as page:
        (code,) = [c for c in zxingcpp.read_barcodes(page) if c.text == text]
        corners = [code.position.top_left, code.position.bottom_right]
        margin = 40
        box = (
            min(p.x for p in corners) - margin,
            min(p.y for p in corners) - margin,
            max(p.x for p in corners) + margin,
            max(p.y for p in corners) + margin,
        )
        qr_image = page.crop(box).convert("L").resize((440, 440))
    frame = Image.new("L", (640, 480), 255)
    frame.paste(qr_image, (100, 20))
    chroma = bytes([128]) * (320 * 240)
    path = folder / "camera.y4m"
    with path.open("wb") as clip:
        clip.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            clip.write(b"FRAME\n" + frame.tobytes() + chroma + chroma)
    return path
