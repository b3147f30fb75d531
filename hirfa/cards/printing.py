"""From cards in the database to PDF files: what the card shows is what its QR signs.

The printed names, category, activity and province are those of the signed claims (so
the print always matches the QR), with the activity's and province's names looked up
from their codes; the photo is the holder's, reduced to what a card printer needs.
The drawing (hirfa.cards.pdf, fpdf) is imported when a card is drawn, not at start-up
(docs/decisions/0090).
"""

from __future__ import annotations

import logging
from io import BytesIO
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from hirfa.cards import keys, qr
from hirfa.cards.models import Card
from hirfa.crafts.models import Activity
from hirfa.register.services import CATEGORY_NAMES
from hirfa.territory.models import Province

if TYPE_CHECKING:
    from hirfa.cards.pdf import CardFace

logger = logging.getLogger(__name__)

TIME_ZONE = ZoneInfo("Africa/Casablanca")
# 19 × 24 mm at 300 dpi is about 225 × 285 pixels: more is ink the printer throws away.
PHOTO_PIXELS = (300, 380)


def category_names() -> dict:
    return CATEGORY_NAMES


def verify_url() -> str:
    """The verification page's address printed on documents: from `PUBLIC_URL` only."""
    return f"{settings.PUBLIC_URL.rstrip('/')}{qr.CAMERA_PATH}"


def camera_text(qr_text: str) -> str:
    """What a printed QR code holds. A Claim 169 card: its text alone, which every Claim 169
    verifier reads (docs/decisions/0062). A card signed before (`RNA1:…`), reprinted byte for
    byte: the verification page's address with the text in its fragment (0050)."""
    if not qr_text.startswith(qr.PREFIX):
        return qr_text
    return qr.camera_url(settings.PUBLIC_URL, qr_text)


def photo_bytes(card: Card) -> bytes | None:
    """The holder's photo as a small JPEG, or None (entities, or no readable photo)."""
    person = card.registration.person
    if person is None or not person.photo:
        return None
    try:
        with person.photo.open("rb") as file, Image.open(file) as image:
            image.draft("RGB", PHOTO_PIXELS)  # JPEG: decode at a reduced scale, fast
            image = image.convert("RGB")
            image.thumbnail(PHOTO_PIXELS)
            buffer = BytesIO()
            image.save(buffer, format="JPEG", quality=85)
            return buffer.getvalue()
    except (OSError, UnidentifiedImageError, ValueError):
        logger.warning("Card %s: the photo cannot be read; printed without it", card.pk)
        return None


class _Names:
    """Activity and province names by code, read once per batch."""

    def __init__(self, cards):
        claims = [qr.decode_card(card.qr_text, keys.public_key).card for card in cards]
        self.claims = claims
        self.activities = {
            a.code: a
            for a in Activity.objects.filter(code__in={c.activity for c in claims}).only(
                "code", "name_ar", "name_fr"
            )
        }
        self.provinces = {
            p.code: p
            for p in Province.objects.filter(code__in={c.province for c in claims}).only(
                "code", "name_ar", "name_fr"
            )
        }


def _face(card: Card, claims: qr.CardClaims, names: _Names, *, photo: bytes | None) -> CardFace:
    category_ar, category_fr = category_names().get(claims.category, (claims.category,) * 2)
    activity = names.activities.get(claims.activity)
    province = names.provinces.get(claims.province)
    from hirfa.cards.pdf import CardFace

    return CardFace(
        number=claims.number,
        version=claims.version,
        name_ar=claims.name_ar,
        name_latin=claims.name_latin,
        name_zgh=claims.name_zgh,
        category_ar=category_ar,
        category_fr=category_fr,
        activity_ar=activity.name_ar if activity else claims.activity,
        activity_fr=activity.name_fr if activity else claims.activity,
        province_ar=province.name_ar if province else claims.province,
        province_fr=province.name_fr if province else claims.province,
        issued_on=card.issued_at.astimezone(TIME_ZONE).date(),
        expires_on=card.expires_at.astimezone(TIME_ZONE).date(),
        qr_text=camera_text(card.qr_text),
        verify_url=verify_url(),
        photo=photo,
    )


def faces(cards) -> list[CardFace]:
    cards = list(cards)
    names = _Names(cards)
    return [
        _face(card, claims, names, photo=photo_bytes(card))
        for card, claims in zip(cards, names.claims, strict=True)
    ]


def card_pdf(card: Card) -> bytes:
    from hirfa.cards.pdf import render_card

    return render_card(faces([card])[0])


def sheet_pdf(cards) -> bytes:
    from hirfa.cards.pdf import render_sheet

    return render_sheet(faces(cards))
