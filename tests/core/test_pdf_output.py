"""Fonts written into a PDF by hirfa.core.pdf_output."""

import logging

from fpdf import FPDF

from hirfa.core import pdf as core_pdf
from hirfa.core.pdf_output import SubsetFontsOutput, glyph_map


def test_the_glyph_map_gives_each_code_its_glyph_up_to_the_highest_code():
    data = glyph_map({1: 5, 2: 300, 0x20: 3})
    assert len(data) == 2 * 0x21
    assert data[2:6] == bytes([0, 5, 1, 44])
    assert data[0x40:0x42] == bytes([0, 3])
    assert data[6:0x40] == bytes(0x40 - 6)  # codes not used: glyph 0


def test_a_document_with_no_text_has_an_empty_map():
    assert glyph_map({}) == b"\0\0"


def test_fonts_added_by_fpdf2_itself_are_written_by_fpdf2(tmp_path):
    pdf = FPDF()
    pdf.add_font("latin", "", core_pdf.FONT_DIR / "NotoSans-Regular.ttf")
    pdf.add_page()
    pdf.set_font("latin", size=12)
    pdf.cell(text="Bonjour")
    data = bytes(pdf.output(output_producer_class=SubsetFontsOutput))
    assert b"/CIDToGIDMap" in data and b"/FontFile2" in data


def test_a_missing_glyph_is_reported_as_fpdf2_does(caplog):
    pdf = core_pdf.new_document()
    pdf.add_page()
    pdf.set_font("tifinagh", size=12)
    pdf.set_fallback_fonts([])
    pdf.text_shaping = None
    pdf.cell(text="ⵣ\u4e2d")  # a Chinese character: in none of the shipped fonts
    with caplog.at_level(logging.WARNING, logger="fpdf.output"):
        core_pdf.pdf_bytes(pdf)
    assert "missing the following glyphs" in caplog.text
