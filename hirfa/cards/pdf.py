"""The card as a PDF: ID-1 (85.6 × 54 mm), front and back, in Arabic, Tamazight (Tifinagh)
and French; and the A4 print sheet of many cards with crop marks, for a chamber's card
printer.

The card is an official document in the three languages, like the attestation: its wording
lives here as constants, not in the translation catalogues. A line in the three languages
puts Arabic at the right, Tamazight in the middle and French at the left (the usual order of
Moroccan official documents, read from the right); the values (category, activity,
province) are printed in Arabic and French, the holder's name also in Tifinagh when known.
The QR code holds the camera address `PUBLIC_URL/verify/#RNA1:…` (docs/card-qr.md §1).
`render_card()` and `render_sheet()` are pure functions of `CardFace` values; `face_for()`
gathers one from the database.

Speed (docs/decisions/0012): fonts are parsed once per process (`hirfa.core.pdf`); the
QR code is drawn as vector rectangles, one per run of dark modules in a row, so it stays
sharp on a card printer and costs no image encoding; a sheet is one document, so each font
is subset once for all its cards.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from fpdf import FPDF
from fpdf.enums import Align, PDFResourceType

from hirfa.core.pdf import base_direction, new_document, pdf_bytes
from hirfa.core.qrcodes import dark_runs, qr_matrix
from hirfa.register.attestation import COUNTRY_ZGH, NUMBER_LABEL_ZGH, REGISTER_ZGH, _clean
from hirfa.register.numbers import format_number

# fpdf2's font subsetting logs each table of each font at INFO: a print sheet's worth of
# noise in the logs and on the command line.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

WIDTH, HEIGHT = 85.6, 54.0  # ISO/IEC 7810 ID-1
ACCENT = (0, 98, 51)
RED = (193, 39, 45)
TEXT = (20, 20, 20)
MUTED = (90, 90, 90)
PAPER = (255, 255, 255)
PHOTO_BOX = (235, 235, 235)

COUNTRY_FR = "ROYAUME DU MAROC"
COUNTRY_AR = "المملكة المغربية"
REGISTER_FR = "Registre National de l'Artisanat"
REGISTER_AR = "السجل الوطني للصناعة التقليدية"
TITLE_FR = "Carte professionnelle"
TITLE_ZGH = "ⵜⴰⴽⴰⵔⴹⴰ ⵏ ⵜⵎⵀⵏⵉⵜ"
TITLE_AR = "البطاقة المهنية"
NUMBER_FR = "N° d'inscription"
NUMBER_ZGH = NUMBER_LABEL_ZGH
NUMBER_AR = "رقم التسجيل"
ACTIVITY_FR = "Activité"
ACTIVITY_ZGH = "ⵜⴰⵎⵙⴽⴰⵔⵜ"
ACTIVITY_AR = "النشاط"
PROVINCE_FR = "Province"
PROVINCE_ZGH = "ⵜⴰⵙⴳⴰ"
PROVINCE_AR = "الإقليم"
VERSION_FR = "Version de la carte"
VERSION_ZGH = "ⵜⴰⵣⵔⵉⴳⵜ ⵏ ⵜⴽⴰⵔⴹⴰ"
VERSION_AR = "نسخة البطاقة"
ISSUED_FR = "Délivrée le"
ISSUED_ZGH = "ⵜⵜⵓⵙⵙⵓⴼⵖ ⴳ"
ISSUED_AR = "سلمت بتاريخ"
EXPIRES_FR = "Valable jusqu'au"
EXPIRES_ZGH = "ⵜⵚⵃⴰ ⴰⵔ"
EXPIRES_AR = "صالحة إلى غاية"
VERIFY_FR = "Scannez le code pour vérifier la carte :"
VERIFY_ZGH = "ⵙⴽⴰⵏⵉⵜ ⴰⵏⴳⵍⴰ ⴰⴷ ⵜⵙⵙⵉⴷⵜⵎ ⵜⴰⴽⴰⵔⴹⴰ"
VERIFY_AR = "امسحوا الرمز للتحقق من البطاقة"
DATE_FORMAT = "%d/%m/%Y"


@dataclass(frozen=True)
class CardFace:
    """Everything printed on one card."""

    number: str
    version: int
    name_ar: str
    name_latin: str
    name_zgh: str
    category_ar: str
    category_fr: str
    activity_ar: str
    activity_fr: str
    province_ar: str
    province_fr: str
    issued_on: date
    expires_on: date
    qr_text: str
    verify_url: str
    photo: bytes | None = None


# --- Drawing helpers ---------------------------------------------------------------------


# Font size and text that fit, by (family, style, size, text, width): most texts of a card
# (labels, categories, activities, provinces) repeat from card to card, and measuring
# shapes them.
_fitted: dict[tuple, tuple[float, str]] = {}
MAX_FITTED = 20_000
SMALLEST = 0.5  # of the intended size; a text still too long is cut, with an ellipsis


def _fitting(pdf: FPDF, family: str, style: str, size: float, text: str, width: float):
    pdf.set_font(family, style, size)
    text_width = pdf.get_string_width(text)
    if text_width <= width:
        return size, text
    if text_width * SMALLEST <= width:
        return size * width / text_width, text
    pdf.set_font_size(size * SMALLEST)
    low, high = 0, len(text)  # the longest cut that fits
    while low < high:
        middle = (low + high + 1) // 2
        if pdf.get_string_width(text[:middle].rstrip() + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return size * SMALLEST, text[:low].rstrip() + "…"


def _text(pdf, x, y, width, height, text, *, family, size, style="", align=Align.L, rtl=False):
    text = _clean(text)
    key = (family, style, size, text, round(width, 2))
    fitted = _fitted.get(key)
    if fitted is None:
        fitted = _fitting(pdf, family, style, size, text, width - 2 * pdf.c_margin)
        if len(_fitted) < MAX_FITTED:
            _fitted[key] = fitted
    size, text = fitted
    pdf.set_font(family, style, size)
    drawn = (key, height, align, rtl, pdf.text_color.serialize())
    if _replay(pdf, drawn, x, y):
        return
    contents = pdf.pages[pdf.page].contents
    start = len(contents)
    pdf.set_xy(x, y)
    if rtl:
        with base_direction(pdf, "rtl"):
            pdf.cell(width, height, text, align=align)
    else:
        pdf.cell(width, height, text, align=align)
    _replays(pdf)[drawn] = (x, y, bytes(contents[start:]), pdf.current_font.i, pdf.font_size_pt)


# A card's texts mostly repeat from card to card (labels, categories, activities,
# provinces). fpdf2 shapes, lays out and encodes each one again, at about 0.3 ms a text:
# within one document, the operators a text produced are written again instead, moved
# to the new place by a transformation matrix. Safe because they are replayed inside
# the document that drew them (the glyphs are in its font subsets), inside q … Q with
# their font and colour set explicitly (fpdf2 may have left them out the first time,
# as already current), and with the fonts declared as used on the new page.
_FONT_OPERATOR = re.compile(rb"/F(\d+) ")


def _replays(pdf: FPDF) -> dict:
    return pdf.__dict__.setdefault("_hirfa_card_texts", {})


def _replay(pdf: FPDF, drawn: tuple, x: float, y: float) -> bool:
    hit = _replays(pdf).get(drawn)
    if hit is None:
        return False
    x0, y0, operators, font, size_pt = hit
    for number in {font, *(int(n) for n in _FONT_OPERATOR.findall(operators))}:
        pdf._resource_catalog.add(PDFResourceType.FONT, number, pdf.page)
    pdf._out(
        f"q 1 0 0 1 {(x - x0) * pdf.k:.2f} {(y0 - y) * pdf.k:.2f} cm "
        f"BT /F{font} {size_pt:.2f} Tf ET {drawn[-1].lower()}"
    )
    pdf._out(operators.rstrip(b"\n") + b" Q")
    return True


@contextmanager
def _unshaped(pdf: FPDF):
    """Text shaping off: French and Tifinagh need neither joining nor reordering, and
    fpdf2's plain path is several times faster than bidi + HarfBuzz."""
    shaping = pdf.text_shaping
    pdf.text_shaping = None
    try:
        yield
    finally:
        pdf.text_shaping = shaping


def _ltr(pdf, x, y, width, height, text, *, family="latin", size, style="", align=Align.L):
    with _unshaped(pdf):
        _text(pdf, x, y, width, height, text, family=family, size=size, style=style, align=align)


def _rtl(pdf, x, y, width, height, text, *, size, align=Align.R):
    # Regular weight only: each font a document uses costs ~7 ms of subsetting at output.
    _text(pdf, x, y, width, height, text, family="arabic", size=size, align=align, rtl=True)


def _two_sided(pdf, x, y, width, height, french, arabic, *, size, style=""):
    """French at the left, Arabic at the right, each in its half."""
    half = width / 2
    _ltr(pdf, x, y, half, height, french, size=size, style=style)
    _rtl(pdf, x + half, y, half, height, arabic, size=size + 1)


def _three_sided(pdf, x, y, width, height, french, tamazight, arabic, *, size, style=""):
    """French at the left, Tamazight in the middle, Arabic at the right, each in its third."""
    third = width / 3
    _ltr(pdf, x, y, third, height, french, size=size, style=style)
    _ltr(pdf, x + third, y, third, height, tamazight, family="tifinagh", size=size,
         align=Align.C)  # fmt: skip
    _rtl(pdf, x + 2 * third, y, third, height, arabic, size=size + 1)


def _draw_qr(pdf: FPDF, x: float, y: float, side: float, text: str) -> None:
    """Dark modules as filled rectangles, one per run in a row, in one path.

    Written as raw PDF operators in module units under one transformation matrix (the
    origin at the code's top-left corner, y downwards): some 1,500 `rect()` calls would
    cost more than the rest of the card.
    """
    size, modules = qr_matrix(text)
    scale = side / size * pdf.k
    runs = [f"{start} {row} {length} 1 re" for row, start, length in dark_runs(size, modules)]
    # Page coordinates have y upwards from the bottom edge, in points.
    origin_x, origin_y = x * pdf.k, (pdf.h - y) * pdf.k
    pdf._out(
        f"q 0 g {scale:.4f} 0 0 {-scale:.4f} {origin_x:.2f} {origin_y:.2f} cm "
        + " ".join(runs)
        + " f Q"
    )


# --- The two sides -----------------------------------------------------------------------


def draw_front(pdf: FPDF, x: float, y: float, face: CardFace) -> None:
    pdf.set_fill_color(*ACCENT)
    pdf.rect(x, y, WIDTH, 9, "F")
    pdf.set_text_color(*PAPER)
    _three_sided(pdf, x + 1.5, y + 0.8, WIDTH - 3, 3.6, COUNTRY_FR, COUNTRY_ZGH, COUNTRY_AR,
                 size=5.8, style="B")  # fmt: skip
    _three_sided(pdf, x + 1.5, y + 4.6, WIDTH - 3, 3.4, REGISTER_FR, REGISTER_ZGH, REGISTER_AR,
                 size=4.6)  # fmt: skip
    pdf.set_text_color(*ACCENT)
    _three_sided(pdf, x + 1.5, y + 9.6, WIDTH - 3, 3.8, TITLE_FR, TITLE_ZGH, TITLE_AR, size=6.2,
                 style="B")  # fmt: skip

    photo_x, photo_y, photo_w, photo_h = x + 3, y + 14.2, 19, 24
    if face.photo:
        pdf.image(BytesIO(face.photo), photo_x, photo_y, photo_w, photo_h, keep_aspect_ratio=True)
    else:
        pdf.set_fill_color(*PHOTO_BOX)
        pdf.rect(photo_x, photo_y, photo_w, photo_h, "F")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.2)
    pdf.rect(photo_x, photo_y, photo_w, photo_h)

    left, width = x + 23.5, WIDTH - 25
    pdf.set_text_color(*TEXT)
    line = y + 14
    _rtl(pdf, left, line, width, 4.4, face.name_ar, size=9.5)
    line += 4.6
    _ltr(pdf, left, line, width, 3.6, face.name_latin, size=7.2, style="B")
    line += 3.6
    if face.name_zgh:
        _ltr(pdf, left, line, width, 3.4, face.name_zgh, family="tifinagh", size=6.5)
        line += 3.4
    line += 0.6
    pdf.set_text_color(*ACCENT)
    _two_sided(pdf, left, line, width, 3.4, face.category_fr, face.category_ar, size=5.6,
               style="B")  # fmt: skip
    line += 3.8
    for label_fr, label_zgh, label_ar, value_fr, value_ar in (
        (ACTIVITY_FR, ACTIVITY_ZGH, ACTIVITY_AR, face.activity_fr, face.activity_ar),
        (PROVINCE_FR, PROVINCE_ZGH, PROVINCE_AR, face.province_fr, face.province_ar),
    ):
        pdf.set_text_color(*MUTED)
        _three_sided(pdf, left, line, width, 2.4, label_fr, label_zgh, label_ar, size=4.2)
        line += 2.4
        pdf.set_text_color(*TEXT)
        _two_sided(pdf, left, line, width, 3.2, value_fr, value_ar, size=5.6)
        line += 3.5

    pdf.set_text_color(*MUTED)
    _three_sided(pdf, x + 3, y + 41.4, WIDTH - 6, 2.8, NUMBER_FR, NUMBER_ZGH, NUMBER_AR, size=4.8)
    pdf.set_text_color(*ACCENT)
    _ltr(pdf, x, y + 44.2, WIDTH, 6, format_number(face.number), size=13, style="B",
         align=Align.C)  # fmt: skip
    pdf.set_fill_color(*RED)
    pdf.rect(x, y + HEIGHT - 1.6, WIDTH / 2, 1.6, "F")
    pdf.set_fill_color(*ACCENT)
    pdf.rect(x + WIDTH / 2, y + HEIGHT - 1.6, WIDTH / 2, 1.6, "F")


def draw_back(pdf: FPDF, x: float, y: float, face: CardFace) -> None:
    side = 38
    _draw_qr(pdf, x + 4, y + (HEIGHT - side) / 2, side, face.qr_text)
    left, width = x + 45.5, WIDTH - 47.5
    rows = [
        (NUMBER_FR, NUMBER_ZGH, NUMBER_AR, format_number(face.number)),
        (VERSION_FR, VERSION_ZGH, VERSION_AR, str(face.version)),
        (ISSUED_FR, ISSUED_ZGH, ISSUED_AR, face.issued_on.strftime(DATE_FORMAT)),
        (EXPIRES_FR, EXPIRES_ZGH, EXPIRES_AR, face.expires_on.strftime(DATE_FORMAT)),
    ]
    line = y + 4
    for french, tamazight, arabic, value in rows:
        pdf.set_text_color(*MUTED)
        _three_sided(pdf, left, line, width, 2.6, french, tamazight, arabic, size=3.8)
        pdf.set_text_color(*TEXT)
        _ltr(pdf, left, line + 2.6, width, 3.8, value, size=7.5, style="B", align=Align.C)
        line += 7.4
    pdf.set_text_color(*MUTED)
    _rtl(pdf, left, line + 0.6, width, 3, VERIFY_AR, size=5.2)
    _ltr(pdf, left, line + 3.6, width, 2.6, VERIFY_ZGH, family="tifinagh", size=4.2)
    _ltr(pdf, left, line + 6.2, width, 2.6, VERIFY_FR, size=4.2)
    pdf.set_text_color(*ACCENT)
    _ltr(pdf, left, line + 8.8, width, 2.8, face.verify_url, size=4.6)
    pdf.set_fill_color(*ACCENT)
    pdf.rect(x, y + HEIGHT - 1.6, WIDTH, 1.6, "F")


# --- Documents ---------------------------------------------------------------------------


def _document(**kwargs) -> FPDF:
    pdf = new_document(unit="mm", **kwargs)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0.4
    pdf.set_creator("hirfa")
    pdf.set_author(REGISTER_FR)
    pdf.set_lang("ar-MA")
    return pdf


def render_card(face: CardFace) -> bytes:
    """One card: page 1 the front, page 2 the back, each page the size of the card."""
    pdf = _document(format=(HEIGHT, WIDTH), orientation="landscape")
    pdf.set_title(f"{TITLE_FR} {format_number(face.number)} / {TITLE_AR}")
    pdf.add_page()
    draw_front(pdf, 0, 0, face)
    pdf.add_page()
    draw_back(pdf, 0, 0, face)
    return pdf_bytes(pdf)


# The A4 sheet: two columns of four cards, a fronts page then a backs page for duplex
# printing (long-edge flip: a card's back sits in the other column, same row).
COLUMNS, ROWS = 2, 4
GAP_X, GAP_Y = 8.0, 8.0
SHEET_W, SHEET_H = 210.0, 297.0
SHEET_LEFT = (SHEET_W - COLUMNS * WIDTH - (COLUMNS - 1) * GAP_X) / 2
SHEET_TOP = (SHEET_H - ROWS * HEIGHT - (ROWS - 1) * GAP_Y) / 2
CROP_OFFSET, CROP_LENGTH = 1.0, 3.0
PER_SHEET = COLUMNS * ROWS


def _slot(index: int, back: bool) -> tuple[float, float]:
    row, column = divmod(index, COLUMNS)
    if back:
        column = COLUMNS - 1 - column
    return SHEET_LEFT + column * (WIDTH + GAP_X), SHEET_TOP + row * (HEIGHT + GAP_Y)


def _crop_marks(pdf: FPDF, x: float, y: float) -> None:
    """Short hairlines outside each corner, along the cut lines."""
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.1)
    for cx in (x, x + WIDTH):
        for cy, direction in ((y, -1), (y + HEIGHT, 1)):
            pdf.line(
                cx, cy + direction * CROP_OFFSET, cx, cy + direction * (CROP_OFFSET + CROP_LENGTH)
            )
    for cy in (y, y + HEIGHT):
        for cx, direction in ((x, -1), (x + WIDTH, 1)):
            pdf.line(
                cx + direction * CROP_OFFSET, cy, cx + direction * (CROP_OFFSET + CROP_LENGTH), cy
            )


def render_sheet(faces) -> bytes:
    """A4 pages of cards with crop marks: fronts, then their backs, eight at a time."""
    pdf = _document(format="A4", orientation="portrait")
    pdf.set_title(f"{TITLE_FR} / {TITLE_AR}")
    faces = list(faces)
    for start in range(0, len(faces), PER_SHEET):
        group = faces[start : start + PER_SHEET]
        for back in (False, True):
            pdf.add_page()
            for index, face in enumerate(group):
                x, y = _slot(index, back)
                _crop_marks(pdf, x, y)
                (draw_back if back else draw_front)(pdf, x, y, face)
    if not faces:
        pdf.add_page()
    return pdf_bytes(pdf)
