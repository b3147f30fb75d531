"""PDF documents: fpdf2 with the shipped Noto fonts, text shaped by HarfBuzz.

`new_document()` returns an `FPDF` with four font families ready and text shaping on, so
Arabic comes out joined and right-to-left:

| family     | font                            | for                                  |
| ---------- | ------------------------------- | ------------------------------------ |
| `arabic`   | Noto Sans Arabic (regular, `B`) | Arabic in a plain, screen-like style |
| `naskh`    | Noto Naskh Arabic (regular, `B`)| Arabic in the style of official text |
| `latin`    | Noto Sans (regular, `B`)        | French, English, digits, `/`, URLs   |
| `tifinagh` | Noto Sans Tifinagh (regular)    | Tamazight                            |

The Arabic fonts have no `/` and no Latin letters: `latin` is set as the fallback font, so a
date or a URL inside an Arabic line still prints.

**Why not `FPDF.add_font()` per document.** fpdf2 keeps no cache of parsed fonts: each
`add_font()` parses the TTF again (about 130 ms for these seven files), and `output()`
subsets every font it was given, used or not, through fontTools, which parses the font's
tables again and re-encodes them (15–20 ms a font, some 70 % of a card's PDF). And
fpdf2's subsetting *modifies the parsed font in place*, so a parsed font cannot simply be
shared between documents: the second document would embed the first one's subset. So,
once per process (about 0.2 s, on first use):

- each font is parsed by fpdf2 itself (`add_font` on a scratch document), which gives the
  metrics, widths and character map that every document then reads and never writes;
- each font is cut into the pieces its subsets are made of (`hirfa.core.font_subset`:
  every glyph's outline bytes, composite glyphs' components, metrics, fixed tables);
- the HarfBuzz face is opened (HarfBuzz faces are immutable and thread-safe).

Each document then gets, per font, a light copy (`_font_for_document`): the read-only
parts shared, and fresh mutable state (widths cache, subset map, font descriptor, which
fpdf2 numbers at output), a `font_subset.SubsetFont` in place of fpdf2's fontTools font
(it answers glyph names and widths while text is shaped, and at output writes the subset
by joining the pieces of the glyphs used, in well under a millisecond — docs/decisions/
0057), and its own HarfBuzz font (fpdf2 sets its size before shaping). `pdf_bytes()` also
leaves out fonts no page uses. Nothing mutable is shared, so documents can be built in
several threads at once.

Measured (CPU time per document, warm process, Python 3.11, fpdf2 2.8.9): a card (front
and back, Arabic, Tifinagh and French) about 26 ms with these subsets against 61 ms with
fontTools subsetting each document (17 ms once its texts are replayed across documents,
see `hirfa.cards.pdf`; `make bench` prints it beside a bare fpdf2 card); the attestation
55 ms against 101. Preparing the fonts costs about 0.2 s once per process. `pdf_bytes()`
writes the fonts through `hirfa.core.pdf_output` (a glyph map up to the highest code used,
not fpdf2's 128 KB one per font): a card 2.9× → 1.9× a bare fpdf2 card in CPU time
(docs/decisions/0082).

This relies on fpdf2 internals (`TTFFont`, `SubsetMap`, `FPDF.fonts`, the name
`fpdf.output.ftsubset`), hence the pin `fpdf2~=2.8`, a check that `TTFFont` has no
attribute we do not know of, and tests that pages printed this way are pixel-for-pixel
the pages printed with fonts added by `add_font()` and subset by fontTools
(`tests/register/test_attestation.py`, `tests/cards/test_pdf.py`).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz
from fpdf import FPDF
from fpdf.enums import Align, PDFResourceType, TextDirection, XPos, YPos
from fpdf.fonts import HarfBuzzFont, SubsetMap, TTFFont

from hirfa.core import font_subset
from hirfa.core.pdf_output import SubsetFontsOutput

FONT_DIR = Path(__file__).resolve().parent / "static" / "hirfa" / "fonts"

# (family, style, file): the order fixes each font's number inside a document.
FONTS: tuple[tuple[str, str, str], ...] = (
    ("arabic", "", "NotoSansArabic-Regular.ttf"),
    ("arabic", "B", "NotoSansArabic-Bold.ttf"),
    ("naskh", "", "NotoNaskhArabic-Regular.ttf"),
    ("naskh", "B", "NotoNaskhArabic-Bold.ttf"),
    ("latin", "", "NotoSans-Regular.ttf"),
    ("latin", "B", "NotoSans-Bold.ttf"),
    ("tifinagh", "", "NotoSansTifinagh-Regular.ttf"),
)
FALLBACK_FAMILY = "latin"


@dataclass(frozen=True)
class _PreparedFont:
    template: TTFFont  # parsed by fpdf2 once; read only from then on
    pieces: font_subset.FontPieces  # what each document's subset is made of
    face: uharfbuzz.Face  # for shaping, from the full font file


_prepared: tuple[_PreparedFont, ...] | None = None
_prepare_lock = threading.Lock()


def _prepare_fonts() -> tuple[_PreparedFont, ...]:
    """Parse the fonts once per process (about 0.2 s), on first use."""
    global _prepared
    if _prepared is None:
        with _prepare_lock:
            if _prepared is None:
                _check_fpdf_font_class()
                font_subset.install()
                scratch = FPDF()
                prepared = []
                for family, style, filename in FONTS:
                    path = FONT_DIR / filename
                    scratch.add_font(family, style, path)
                    template = scratch.fonts[f"{family}{style}"]
                    assert isinstance(template, TTFFont)
                    if template.color_font is not None:  # pragma: no cover - Noto is not
                        raise ValueError(f"{filename}: colour fonts are not supported")
                    prepared.append(
                        _PreparedFont(
                            template=template,
                            pieces=font_subset.cut(path),
                            face=uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path))),
                        )
                    )
                    template.ttfont.close()  # everything needed has been read from it
                _prepared = tuple(prepared)
    return _prepared


# How each attribute of fpdf2's TTFFont is treated when a prepared font is handed to a
# document. Read-only ones are shared; the others change while a document is built or
# written (fpdf2 assigns the font descriptor an object number at output, subsets
# `ttfont` in place, fills `cw`, `subset` and `missing_glyphs` as text is added) and are
# made afresh for each document.
_SHARED = frozenset(
    {
        "type", "name", "glyph_ids", "cmap", "sp", "ss", "up", "ut", "ttffile", "fontkey",
        "emphasis", "scale", "color_font", "unicode_range", "palette_index", "is_compressed",
        "is_cff", "is_cid_keyed", "is_symbol", "cff_ros", "collection_font_number",
    }
)  # fmt: skip
_PER_DOCUMENT = frozenset(
    {"i", "desc", "cw", "subset", "missing_glyphs", "biggest_size_pt", "ttfont", "_hbfont"}
)


def _check_fpdf_font_class() -> None:
    unknown = set(TTFFont.__slots__) - _SHARED - _PER_DOCUMENT
    if unknown:  # a new fpdf2 may keep state where we do not expect it
        raise RuntimeError(
            f"fpdf2's TTFFont has new attributes {sorted(unknown)}: review hirfa.core.pdf"
        )


def _font_for_document(prepared: _PreparedFont, index: int) -> TTFFont:
    """A copy of a prepared font that one document may use and subset freely."""
    template = prepared.template
    font = TTFFont.__new__(TTFFont)
    for slot in _SHARED:
        if hasattr(template, slot):
            setattr(font, slot, getattr(template, slot))
    font.i = index
    font.desc = copy.copy(template.desc)
    font.cw = template.cw.copy()  # a defaultdict: reading an unknown character writes
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.ttfont = font_subset.SubsetFont(prepared.pieces)
    font._hbfont = HarfBuzzFont(prepared.face)
    font.subset = SubsetMap(font)
    return font


def new_document(**fpdf_kwargs) -> FPDF:
    """An A4 (by default) `FPDF` in millimetres with the fonts added and shaping on."""
    pdf = FPDF(**fpdf_kwargs)
    for prepared in _prepare_fonts():
        font = _font_for_document(prepared, len(pdf.fonts) + 1)
        pdf.fonts[font.fontkey] = font
    pdf.set_text_shaping(True)
    pdf.set_fallback_fonts([FALLBACK_FAMILY], exact_match=False)
    return pdf


@contextmanager
def base_direction(pdf: FPDF, direction: str) -> Iterator[None]:
    """Within the block, paragraphs are laid out as `"rtl"` or `"ltr"` paragraphs.

    Without it fpdf2 takes the direction of the first strong character, so an Arabic
    sentence that opens with a number or a Latin name would be laid out left-to-right.
    (HarfBuzz still shapes each run in its own direction.)
    """
    shaping = pdf.text_shaping
    if not shaping:
        raise ValueError("text shaping is off: use new_document()")
    saved = shaping["direction"]
    shaping["direction"] = TextDirection.coerce(direction)
    try:
        yield
    finally:
        shaping["direction"] = saved


def _wrap(pdf: FPDF, text: str, max_width: float) -> list[str] | None:
    """`text` cut into lines at spaces, or None if a single word is wider than a line.

    fpdf2's own line breaking (`multi_cell`) re-shapes the line so far after each
    character; measuring each word once is exact enough (Arabic letters never join across
    a space) and breaks the attestation's paragraphs in 10 ms instead of about 26 ms.
    """
    space = pdf.get_string_width(" ")
    lines: list[str] = []
    line: list[str] = []
    line_width = 0.0
    for word in (word for word in text.split(" ") if word):
        word_width = pdf.get_string_width(word)
        if word_width > max_width:
            return None
        if line and line_width + space + word_width > max_width:
            lines.append(" ".join(line))
            line, line_width = [word], word_width
        else:
            line_width += (space if line else 0) + word_width
            line.append(word)
    if line:
        lines.append(" ".join(line))
    return lines


def write_paragraph(
    pdf: FPDF,
    text: str,
    *,
    direction: str,
    family: str,
    style: str = "",
    size: float = 11,
    height: float | None = None,
    width: float = 0,
) -> None:
    """Write `text` wrapped to `width` (0: up to the right margin), aligned to its start.

    A right-to-left paragraph is right-aligned, a left-to-right one left-aligned. Runs of
    the other direction inside (digits, dates, a Latin name in Arabic text) keep their
    own order. A line break in `text` starts a new line. The cursor ends at the left
    margin, under the paragraph.
    """
    pdf.set_font(family, style, size)
    line_height = height if height is not None else size * 0.55
    x = pdf.get_x()
    if width == 0:
        width = pdf.w - pdf.r_margin - x
    align = Align.R if direction == "rtl" else Align.L
    with base_direction(pdf, direction):
        for paragraph in text.replace("\r\n", "\n").split("\n"):
            lines = _wrap(pdf, " ".join(paragraph.split("\t")), width - 2 * pdf.c_margin)
            if lines is None:  # a word longer than a line: let fpdf2 cut it
                pdf.set_x(x)
                pdf.multi_cell(width, line_height, paragraph, align=align)
                continue
            for line in lines or [""]:
                pdf.set_x(x)
                pdf.cell(width, line_height, line, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin)


def write_rtl(
    pdf: FPDF,
    text: str,
    *,
    family: str = "naskh",
    style: str = "",
    size: float = 12,
    height: float | None = None,
    width: float = 0,
) -> None:
    """Write Arabic `text`, right-aligned and wrapped (see `write_paragraph`).

    HarfBuzz joins the letters and fpdf2's bidi algorithm orders each line right-to-left.
    """
    write_paragraph(
        pdf,
        text,
        direction="rtl",
        family=family,
        style=style,
        size=size,
        height=height,
        width=width,
    )


def write_ltr(
    pdf: FPDF,
    text: str,
    *,
    family: str = "latin",
    style: str = "",
    size: float = 11,
    height: float | None = None,
    width: float = 0,
) -> None:
    """Write French or English `text`, left-aligned and wrapped (see `write_paragraph`)."""
    write_paragraph(
        pdf,
        text,
        direction="ltr",
        family=family,
        style=style,
        size=size,
        height=height,
        width=width,
    )


def _drop_unused_fonts(pdf: FPDF) -> None:
    """Leave out of the file the fonts that no page refers to (fpdf2 embeds them all)."""
    used = {int(i) for i in pdf._resource_catalog.get_used_resources(PDFResourceType.FONT)}
    for key, font in list(pdf.fonts.items()):
        if font.i not in used:
            del pdf.fonts[key]


def pdf_bytes(pdf: FPDF) -> bytes:
    """The finished PDF file."""
    _drop_unused_fonts(pdf)
    return bytes(pdf.output(output_producer_class=SubsetFontsOutput))
