"""Issue 11, finding 2: a few hundred bytes must not cost the server a gigabyte.

Every file the server draws or decodes has its bitmap size computed from its header
before any pixel is allocated: a PDF page from its size and the scale, an image from
its declared width and height."""

import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import translation

from hirfa.cards import reading

pytestmark = pytest.mark.django_db

TOO_LARGE = "This file is too large to be read: send a card or a photo of it."


def in_arabic(message: str) -> str:
    from django.utils import translation

    with translation.override("ar"):
        return translation.gettext(message)


def pdf_with_page(width: float, height: float) -> bytes:
    """A valid one-page PDF of `width` × `height` points, a few hundred bytes long."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] >>" % (width, height),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def png_bomb(width: int, height: int) -> bytes:
    """A PNG header declaring `width` × `height` pixels, with almost no data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024, 9))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(autouse=True)
def pillow_limit_restored():
    from PIL import Image

    before = Image.MAX_IMAGE_PIXELS
    yield
    Image.MAX_IMAGE_PIXELS = before


@pytest.fixture
def rendered(monkeypatch):
    """The pixel counts pypdfium2 was asked to draw."""
    import pypdfium2

    asked = []
    real = pypdfium2.PdfPage.render

    def render(page, scale=1, **kwargs):
        width, height = page.get_size()
        asked.append(width * scale * height * scale)
        return real(page, scale=scale, **kwargs)

    monkeypatch.setattr(pypdfium2.PdfPage, "render", render)
    return asked


def read(client, data: bytes, name: str, content_type: str):
    upload = SimpleUploadedFile(name, data, content_type)
    return client.post("/verify/read/", {"file": upload})


def test_a_tiny_pdf_with_a_huge_page_is_refused_without_drawing_it(client, rendered):
    data = pdf_with_page(14_400, 14_400)
    assert len(data) < 400
    response = read(client, data, "card.pdf", "application/pdf")
    assert response.status_code == 400
    assert response.json()["error"] == in_arabic(TOO_LARGE)
    assert rendered == []


def test_a_large_page_is_drawn_at_a_lower_scale_within_the_bound(client, rendered, settings):
    settings.IMAGE_MAX_PIXELS = 10_000_000
    response = read(client, pdf_with_page(3_000, 3_000), "card.pdf", "application/pdf")
    assert response.status_code == 400  # a blank page: no QR code
    assert response.json()["error"] == in_arabic("No QR code was found in the file.")
    assert rendered and max(rendered) <= 10_000_000


def test_a_card_sized_page_is_still_drawn_at_300_dpi(rendered):
    assert reading.texts_in_pdf(pdf_with_page(243, 153)) == []
    assert rendered == [pytest.approx(243 * 153 * (300 / 72) ** 2)]


def test_verify_card_refuses_a_huge_pdf_with_a_clear_message(tmp_path, rendered):
    path = tmp_path / "huge.pdf"
    path.write_bytes(pdf_with_page(14_400, 14_400))
    with pytest.raises(CommandError, match="too large"), translation.override("en"):
        call_command("verify_card", str(path))
    assert rendered == []


def test_a_png_bomb_is_refused_before_it_is_decoded(client, monkeypatch):
    from PIL import ImageFile

    def never(*args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", never)
    response = read(client, png_bomb(100_000, 100_000), "card.png", "image/png")
    assert response.status_code == 400
    assert response.json()["error"] == in_arabic(TOO_LARGE)


def test_an_image_just_over_the_bound_is_refused(client, settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    response = read(client, png_bomb(1_001, 1_000), "card.png", "image/png")
    assert response.status_code == 400
    assert response.json()["error"] == in_arabic(TOO_LARGE)


def test_pillows_own_bomb_limit_is_set_explicitly():
    from django.conf import settings
    from PIL import Image

    assert Image.MAX_IMAGE_PIXELS == settings.IMAGE_MAX_PIXELS
