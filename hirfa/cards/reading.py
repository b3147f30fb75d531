"""Reading card QR codes back from images and PDF files (zxing-cpp; pypdfium2 renders PDFs)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pypdfium2
import zxingcpp
from PIL import Image, UnidentifiedImageError

from hirfa.cards.qr import PREFIX

# 300 dpi: a card's QR modules are then about 6 pixels wide.
PDF_SCALE = 300 / 72
MAX_PDF_PAGES = 50
MAX_IMAGE_PIXELS = 60_000_000


class Unreadable(Exception):
    pass


def _codes(image: Image.Image) -> list[str]:
    found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.valid]


def texts_in_pdf(data: bytes) -> list[str]:
    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise Unreadable(str(error)) from None
    texts = []
    try:
        for index in range(min(len(document), MAX_PDF_PAGES)):
            page = document[index]
            texts += _codes(page.render(scale=PDF_SCALE).to_pil())
            page.close()
    finally:
        document.close()
    return texts


def texts_in_image(data: bytes) -> list[str]:
    try:
        with Image.open(BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise Unreadable("image too large")
            return _codes(image)
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError) as error:
        raise Unreadable(str(error)) from None


def card_texts(argument: str) -> list[str]:
    """The card QR texts that a command-line argument holds: a file (PDF or image) or the
    text itself. Codes that are not card QR codes are left out of a file's list."""
    path = Path(argument)
    if argument.lstrip().startswith(PREFIX) or not path.is_file():
        return [argument]
    data = path.read_bytes()
    texts = texts_in_pdf(data) if data[:5] == b"%PDF-" else texts_in_image(data)
    cards = [text for text in texts if text.startswith(PREFIX)]
    return cards or texts
