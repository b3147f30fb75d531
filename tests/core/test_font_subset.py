"""The font subsets embedded in PDFs, made without fontTools (hirfa.core.font_subset)."""

from io import BytesIO

import pytest
from fontTools import ttLib

from hirfa.core import font_subset
from hirfa.core.pdf import FONT_DIR


@pytest.fixture(scope="module")
def latin():
    return font_subset.cut(FONT_DIR / "NotoSans-Regular.ttf")


@pytest.fixture(scope="module")
def latin_font():
    return ttLib.TTFont(FONT_DIR / "NotoSans-Regular.ttf")


def subset(pieces, names) -> tuple[ttLib.TTFont, dict[str, int]]:
    data, new_ids = font_subset.subset_bytes(pieces, names)
    # checkChecksums=2: a wrong table checksum is an error.
    font = ttLib.TTFont(BytesIO(data), checkChecksums=2)
    font.ensureDecompiled()
    return font, new_ids


def test_a_subset_holds_notdef_and_the_glyphs_asked_for_in_the_fonts_order(latin):
    font, new_ids = subset(latin, ["b", "a", "space"])
    assert new_ids == {".notdef": 0, "space": 1, "a": 2, "b": 3}
    assert len(font.getGlyphOrder()) == 4
    assert font["maxp"].numGlyphs == 4
    assert font["hhea"].numberOfHMetrics == 4


def test_each_glyph_keeps_its_outline_and_advance(latin, latin_font):
    names = ["a", "R", "g", "zero", "slash"]
    font, new_ids = subset(latin, names)
    order = font.getGlyphOrder()
    for name in names:
        ours = font["glyf"][order[new_ids[name]]]
        theirs = latin_font["glyf"][name]
        assert ours.getCoordinates(font["glyf"]) == theirs.getCoordinates(latin_font["glyf"])
        assert font["hmtx"][order[new_ids[name]]] == latin_font["hmtx"][name]


def test_a_composite_glyph_brings_its_components_renumbered(latin, latin_font):
    font, new_ids = subset(latin, ["eacute"])
    assert set(new_ids) == {".notdef", "e", "acute", "eacute"}
    order = font.getGlyphOrder()
    composite = font["glyf"][order[new_ids["eacute"]]]
    components = [order[new_ids[c.glyphName]] for c in latin_font["glyf"]["eacute"].components]
    assert [c.glyphName for c in composite.components] == components
    coordinates, _, _ = composite.getCoordinates(font["glyf"])
    original, _, _ = latin_font["glyf"]["eacute"].getCoordinates(latin_font["glyf"])
    assert coordinates == original


def test_the_characters_of_the_kept_glyphs_are_in_the_cmap(latin):
    font, new_ids = subset(latin, ["a", "b"])
    order = font.getGlyphOrder()
    assert font.getBestCmap() == {ord("a"): order[new_ids["a"]], ord("b"): order[new_ids["b"]]}


def test_glyph_names_the_font_does_not_have_are_left_out(latin):
    _font, new_ids = subset(latin, ["a", "no-such-glyph"])
    assert set(new_ids) == {".notdef", "a"}


def test_other_fonts_are_still_subset_by_fonttools(latin_font):
    font_subset.install()
    from fpdf import output

    subsetter = output.ftsubset.Subsetter(output.ftsubset.Options())
    subsetter.populate(glyphs=["a"])
    font = ttLib.TTFont(FONT_DIR / "NotoSans-Regular.ttf")
    subsetter.subset(font)
    assert font.getGlyphOrder() == [".notdef", "a"]


def test_the_whole_file_checksum_is_adjusted_as_the_font_format_asks(latin):
    data, _new_ids = font_subset.subset_bytes(latin, ["a", "eacute"])
    assert font_subset._checksum(data) == 0xB1B0AFBA
