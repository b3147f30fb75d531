"""Writing a document's shipped fonts into the PDF without fpdf2's 128 KB glyph map.

For each embedded TrueType font fpdf2 writes a `CIDToGIDMap`: the glyph number of every
possible 16-bit code, 131,072 bytes built as a Python list of one-character strings,
joined and compressed — 1–2 ms a font, four fonts a card, about a third of a card's PDF
once its subsets are joined (docs/decisions/0057, 0082). A document's codes are numbered
from 1 in the order its glyphs are first used, so a card's highest code is a few hundred:
the map here stops at the highest code used (two bytes a code, from a `bytearray`). The
PDF reference gives the glyph of code `c` at bytes `2c`, `2c + 1` of the stream and asks
nothing of codes no text shows.

`SubsetFontsOutput` is passed to `FPDF.output(output_producer_class=…)` (fpdf2's public
hook for a custom producer) by `hirfa.core.pdf.pdf_bytes`. It writes the fonts whose
`ttfont` is a `font_subset.SubsetFont` (the shipped fonts, as `new_document()` gives
them) with the same objects, in the same order, as fpdf2's own TrueType branch of
`OutputProducer._add_fonts` — Type0 font, CIDFontType2, ToUnicode CMap, CIDSystemInfo,
font descriptor, glyph map, font file — and hands every other font (core fonts, fonts added
by `add_font()`, colour fonts) and every PDF/A document to fpdf2 unchanged.
"""

from __future__ import annotations

import logging

from fpdf.output import (
    CIDSystemInfo,
    OutputProducer,
    PDFFont,
    PDFFontStream,
    _tt_font_widths,
)
from fpdf.syntax import Name, PDFArray, PDFContentStream

from hirfa.core.font_subset import SubsetFont

LOGGER = logging.getLogger("fpdf.output")  # where fpdf2 reports missing glyphs

_TO_UNICODE = (
    "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
    "<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n"
    "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
    "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    "{blocks}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
)


def _ours(font) -> bool:
    return isinstance(getattr(font, "ttfont", None), SubsetFont) and not font.color_font


def _utf16_hex(code: int) -> str:
    if code > 0xFFFF:  # a surrogate pair
        return f"{0xD800 | (code - 0x10000) >> 10:04X}{0xDC00 | (code & 0x3FF):04X}"
    return f"{code:04X}"


def to_unicode(font) -> bytes:
    """The ToUnicode CMap: the characters each code stands for (copying, searching)."""
    entries = [
        f"<{code:04X}> <{''.join(_utf16_hex(c) for c in glyph.unicode)}>\n"
        for glyph, code in font.subset.items()
        if glyph is not None and isinstance(glyph.unicode, tuple) and glyph.unicode
    ]
    blocks = "".join(
        f"{len(chunk)} beginbfchar\n{''.join(chunk)}endbfchar\n"
        for chunk in (entries[start : start + 100] for start in range(0, len(entries), 100))
    )  # at most 100 entries a block (Adobe Technical Note #5014)
    return _TO_UNICODE.format(blocks=blocks).encode("latin-1")


def glyph_map(code_to_glyph: dict[int, int]) -> bytes:
    """The `CIDToGIDMap` up to the highest code used: big-endian glyph numbers by code."""
    data = bytearray(2 * (max(code_to_glyph, default=0) + 1))
    for code, glyph in code_to_glyph.items():
        data[2 * code] = glyph >> 8
        data[2 * code + 1] = glyph & 0xFF
    return bytes(data)


class SubsetFontsOutput(OutputProducer):
    def _add_fonts(self, *args, **kwargs):
        fonts = self.fpdf.fonts
        ours = [font for font in fonts.values() if _ours(font)]
        if not ours or self.fpdf._compliance:  # PDF/A rules (CIDSet…) are fpdf2's
            return super()._add_fonts(*args, **kwargs)
        every = dict(fonts)  # fpdf2's own branch sees only the other fonts
        for key in [key for key, font in every.items() if _ours(font)]:
            del fonts[key]
        try:
            font_objs_per_index = super()._add_fonts(*args, **kwargs)
        finally:
            fonts.clear()
            fonts.update(every)
        for font in sorted(ours, key=lambda font: font.i):
            font_objs_per_index[font.i] = self._add_subset_font(font)
        return font_objs_per_index

    def _add_subset_font(self, font) -> PDFFont:
        fontname = f"MPDFAA+{font.name}"
        if font.missing_glyphs:
            LOGGER.warning(
                "Font %s is missing the following glyphs: %s",
                fontname,
                ", ".join(f"'{chr(code)}' ({code:#x})" for code in font.missing_glyphs[:10]),
            )
        font.ttfont.make_subset(font.subset.get_all_glyph_names())
        code_to_glyph = {
            code: font.ttfont.getGlyphID(glyph.glyph_name)
            for glyph, code in font.subset.items()
            if glyph is not None
        }
        composite = PDFFont(subtype="Type0", base_font=fontname, encoding="Identity-H")
        self._add_pdf_obj(composite, "fonts")
        cid_font = PDFFont(
            subtype="CIDFontType2",
            base_font=fontname,
            d_w=font.desc.missing_width,
            w=_tt_font_widths(font),
        )
        self._add_pdf_obj(cid_font, "fonts")
        composite.descendant_fonts = PDFArray([cid_font])
        unicode_map = PDFContentStream(to_unicode(font))
        self._add_pdf_obj(unicode_map, "fonts")
        composite.to_unicode = unicode_map
        system_info = CIDSystemInfo()
        self._add_pdf_obj(system_info, "fonts")
        cid_font.c_i_d_system_info = system_info
        descriptor = font.desc
        descriptor.font_name = Name(fontname)
        self._add_pdf_obj(descriptor, "fonts")
        cid_font.font_descriptor = descriptor
        gid_map = PDFContentStream(contents=glyph_map(code_to_glyph), compress=True)
        self._add_pdf_obj(gid_map, "fonts")
        cid_font.c_i_d_to_g_i_d_map = gid_map
        font_file = PDFFontStream(contents=font.ttfont.subset_file())
        self._add_pdf_obj(font_file, "fonts")
        descriptor.font_file2 = font_file
        font.subset.pick.cache_clear()
        font.subset.get_glyph.cache_clear()
        font.close()
        return composite
