"""Reading card QR codes back from images and PDF files (zxing-cpp; pypdfium2 renders PDFs).

Anyone may send a file to the public reader, and a few hundred bytes can declare a page or
an image of billions of pixels: the size of every bitmap is computed from the file's header
before any pixel is allocated, and bounded by `IMAGE_MAX_PIXELS` (docs/decisions/0032).
The readers (pypdfium2, zxing-cpp) are imported when a file is read (docs/decisions/0090)."""

from __future__ import annotations

import math
import warnings
from io import BytesIO
from pathlib import Path

from django.conf import settings
from PIL import Image, UnidentifiedImageError

from hirfa.cards.qr import PREFIX, is_signed_text

# 300 dpi: a card's QR modules are then about 6 pixels wide.
PDF_SCALE = 300 / 72
# Below 72 dpi a card's QR code can no longer be read: a page that big is refused.
MIN_PDF_SCALE = 1.0
MAX_PDF_PAGES = 50


class Unreadable(Exception):
    pass


class TooLarge(Unreadable):
    """The file declares more pixels than the server will allocate."""


def max_pixels() -> int:
    return settings.IMAGE_MAX_PIXELS


def limit_pillow() -> None:
    """Pillow's own decompression-bomb guard, at the same bound (it errors at twice it)."""
    Image.MAX_IMAGE_PIXELS = max_pixels()


def _codes(image: Image.Image) -> list[str]:
    import zxingcpp

    found = zxingcpp.read_barcodes(image.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    return [code.text for code in found if code.valid]


def pdf_scale(width: float, height: float) -> float:
    """The scale a page of `width` × `height` points is drawn at: 300 dpi, or less so that
    the bitmap holds at most `IMAGE_MAX_PIXELS`; TooLarge below 72 dpi."""
    area = max(width, 1.0) * max(height, 1.0)
    scale = min(PDF_SCALE, math.sqrt(max_pixels() / area))
    # The bitmap's sides are rounded up: keep a pixel of margin on each.
    while scale >= MIN_PDF_SCALE and math.ceil(width * scale) * math.ceil(height * scale) > (
        max_pixels()
    ):
        scale *= 0.99
    if scale < MIN_PDF_SCALE:
        raise TooLarge(f"page of {width:.0f} x {height:.0f} points")
    return scale


def texts_in_pdf(data: bytes) -> list[str]:
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as error:
        raise Unreadable(str(error)) from None
    texts = []
    try:
        for index in range(min(len(document), MAX_PDF_PAGES)):
            page = document[index]
            try:
                scale = pdf_scale(*page.get_size())
                bitmap = page.render(scale=scale, grayscale=True)
                texts += _codes(bitmap.to_pil())
            except pypdfium2.PdfiumError as error:
                raise Unreadable(str(error)) from None
            finally:
                page.close()
    finally:
        document.close()
    return texts


def texts_in_image(data: bytes) -> list[str]:
    limit_pillow()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Opening reads the header only: the size is known before any pixel is decoded.
            with Image.open(BytesIO(data)) as image:
                if image.width * image.height > max_pixels():
                    raise TooLarge(f"image of {image.width} x {image.height} pixels")
                return _codes(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise TooLarge(str(error)) from None
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError) as error:
        raise Unreadable(str(error)) from None


def card_texts(argument: str) -> list[str]:
    """The card QR texts that a command-line argument holds: a file (PDF or image) or the
    text itself (`RNA1:…`, or the camera address `https://…/verify/#RNA1:…`). Codes that
    are not the register's are left out of a file's list."""
    path = Path(argument)
    if argument.lstrip().startswith(PREFIX) or is_signed_text(argument) or not path.is_file():
        return [argument]
    data = path.read_bytes()
    texts = texts_in_pdf(data) if data[:5] == b"%PDF-" else texts_in_image(data)
    cards = [text for text in texts if is_signed_text(text)]
    return cards or texts
