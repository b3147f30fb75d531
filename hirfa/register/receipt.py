"""The receipt of filing: a one-page A4 PDF in the artisan's language (Arabic, Tamazight,
French or English), given when a file (dossier) is submitted.

Unlike the attestation, the receipt is not an official trilingual document: it speaks the
language the artisan reads the site in, so its words are gettext strings, translated by
the caller (`ReceiptData` holds them ready). It proves that the file reached the register
and names it by its reference; its QR code opens the file's status page
(`PUBLIC_URL/status/?ref=<reference>`), which asks for a code sent by SMS before it shows
anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from hirfa.core.pdf import base_direction, new_document, pdf_bytes, write_paragraph
from hirfa.core.qrcodes import dark_runs, qr_matrix
from hirfa.register.attestation import _clean

MARGIN = 20
ACCENT = (0, 98, 51)
MUTED = (90, 90, 90)
TEXT = (20, 20, 20)
QR_SIDE = 40  # millimetres

# The font family and direction of each language's text.
SCRIPTS = {
    "ar": ("arabic", "rtl"),
    "zgh": ("tifinagh", "ltr"),
    "fr": ("latin", "ltr"),
    "en": ("latin", "ltr"),
}


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed, already in the reader's language."""

    language: str
    register: str  # "National Register of Traditional Crafts"
    title: str  # "Receipt of filing"
    reference_label: str
    reference: str
    facts: tuple[tuple[str, str], ...]  # (label, value): filed on, kind, applicant…
    documents_label: str
    documents: tuple[str, ...]
    no_documents: str
    keep: str  # what the receipt is, and is not
    scan: str  # "Scan the code… to follow your file:"
    status_url: str


def _draw_qr(pdf: FPDF, x: float, y: float, side: float, text: str) -> None:
    size, modules = qr_matrix(text)
    unit = side / size
    pdf.set_fill_color(0, 0, 0)
    for row, start, length in dark_runs(size, modules):
        pdf.rect(x + start * unit, y + row * unit, length * unit, unit, style="F")


_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _script_of(text: str, family: str, direction: str) -> tuple[str, str]:
    """A value in Arabic letters (a name the register holds only in Arabic) is set in the
    Arabic font, right to left, whatever the receipt's language: the Tifinagh and Latin
    fonts have no Arabic letters."""
    if family != "arabic" and _ARABIC.search(text):
        return "arabic", "rtl"
    return family, direction


def _bold(family: str) -> str:
    return "" if family == "tifinagh" else "B"  # Noto Sans Tifinagh has no bold


def render_receipt(data: ReceiptData) -> bytes:
    family, direction = SCRIPTS.get(data.language, SCRIPTS["fr"])
    align = Align.R if direction == "rtl" else Align.L
    pdf = new_document(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(f"{data.title} {data.reference}")
    pdf.set_author(data.register)
    pdf.set_creator("hirfa")
    pdf.set_lang({"zgh": "zgh-Tfng"}.get(data.language, data.language))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    width = pdf.w - 2 * MARGIN

    def paragraph(text, *, size, style="", height=None):
        pdf.set_x(MARGIN)
        text_family, text_direction = _script_of(text, family, direction)
        write_paragraph(
            pdf, _clean(text), direction=text_direction, family=text_family,
            style=style if text_family == family else "", size=size, height=height, width=width,
        )  # fmt: skip

    pdf.set_text_color(*TEXT)
    paragraph(data.register, size=12)
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.8)
    pdf.line(MARGIN, pdf.get_y() + 2, pdf.w - MARGIN, pdf.get_y() + 2)
    pdf.ln(8)
    pdf.set_text_color(*ACCENT)
    paragraph(data.title, size=22, style=_bold(family), height=12)
    pdf.ln(4)

    # The reference, large, in a box: what the artisan gives at the desk or at /status/.
    box_y = pdf.get_y()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.rect(MARGIN, box_y, width, 26)
    pdf.set_xy(MARGIN + 4, box_y + 3)
    pdf.set_text_color(*MUTED)
    pdf.set_font(family, "", 10)
    with base_direction(pdf, direction):
        pdf.cell(width - 8, 6, _clean(data.reference_label), align=align)
    pdf.set_xy(MARGIN, box_y + 10)
    pdf.set_text_color(*TEXT)
    pdf.set_font("latin", "B", 24)
    pdf.cell(width, 13, data.reference, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(box_y + 32)

    for label, value in data.facts:
        pdf.set_text_color(*MUTED)
        paragraph(label, size=9, height=5)
        pdf.set_text_color(*TEXT)
        paragraph(value, size=12, height=7)
        pdf.ln(1.5)

    pdf.ln(2)
    pdf.set_text_color(*MUTED)
    paragraph(data.documents_label, size=9, height=5)
    pdf.set_text_color(*TEXT)
    for name in data.documents[:12] or (data.no_documents,):
        paragraph(f"• {name}" if direction == "ltr" else f"{name} •", size=11, height=6.5)

    # The QR code to the file's status, and what the receipt is, at the foot of the page.
    top = max(pdf.get_y() + 8, pdf.h - MARGIN - QR_SIDE - 22)
    pdf.set_draw_color(170, 170, 170)
    pdf.set_line_width(0.3)
    pdf.line(MARGIN, top, pdf.w - MARGIN, top)
    qr_x = pdf.w - MARGIN - QR_SIDE if direction == "ltr" else MARGIN
    _draw_qr(pdf, qr_x, top + 5, QR_SIDE, data.status_url)
    text_x = MARGIN if direction == "ltr" else MARGIN + QR_SIDE + 6
    text_width = width - QR_SIDE - 6
    pdf.set_xy(text_x, top + 5)
    write_paragraph(pdf, _clean(data.keep), direction=direction, family=family, size=10,
                    height=5.5, width=text_width)  # fmt: skip
    pdf.ln(2)
    pdf.set_x(text_x)
    write_paragraph(pdf, _clean(data.scan), direction=direction, family=family, size=10,
                    height=5.5, width=text_width)  # fmt: skip
    pdf.set_x(text_x)
    pdf.set_text_color(*ACCENT)
    size = 10
    pdf.set_font("latin", "", size)
    while size > 6 and pdf.get_string_width(data.status_url) > text_width - 2 * pdf.c_margin:
        size -= 0.5
        pdf.set_font_size(size)
    pdf.cell(text_width, 6, data.status_url, align=align)
    pdf.set_text_color(*TEXT)
    return pdf_bytes(pdf)
