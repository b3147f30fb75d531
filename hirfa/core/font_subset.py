"""Subsetting the shipped TrueType fonts for a PDF in well under a millisecond.

fpdf2 subsets each embedded font at output with fontTools, which parses the font's tables
again for every document and re-encodes them (about 15–20 ms a font, 70 % of a card's
PDF). Here each font is cut into pieces once per process — every glyph's outline bytes
as they are in the file, the components of composite glyphs, the metrics, and the tables
that do not depend on the glyph set (`head`, `hhea`, `maxp`, `OS/2`, `name`, the hinting
tables) — and a document's subset is written by joining the pieces of the glyphs it uses:

- the glyphs kept are those used, the components of composite ones, and `.notdef`, in
  the font's own order (as fontTools does), renumbered from 0; a composite glyph's
  component numbers are rewritten to the new numbers, nothing else of a glyph changes
  (outline, instructions: the bytes of the original file);
- `hmtx`, `loca` (long format), `post` (format 3, no glyph names, as fpdf2 embeds it) and a
  `cmap` of the characters of the kept glyphs are made for the subset; `maxp` and `hhea`
  get the new glyph and metrics counts; the font-wide bounding box and maxima stay those
  of the whole font, which are still true of a subset (fpdf2 ours already did that).

`SubsetFont` stands in for the fontTools font that fpdf2 keeps in `TTFFont.ttfont`: it
answers what fpdf2 asks while text is shaped (glyph names, advance widths) from the shared
pieces, and what it asks at output (`getGlyphID`, `save`). fpdf2 calls
`fontTools.subset.Subsetter` by the module name `ftsubset` in `fpdf.output`: `install()`
puts there a stand-in that subsets a `SubsetFont` this way and hands any other font to
fontTools unchanged.
"""

from __future__ import annotations

import struct
import types
from dataclasses import dataclass

from fontTools import subset as ftsubset
from fontTools import ttLib

# Composite glyph flags (OpenType `glyf` table).
_ARG_WORDS, _HAVE_SCALE, _MORE, _HAVE_XY_SCALE, _HAVE_2X2 = 0x1, 0x8, 0x20, 0x40, 0x80

# Tables copied as they are; the others are made for each subset or left out (the layout
# tables, which fpdf2 drops too, and `DSIG`, whose signature a subset breaks).
_COPIED = ("OS/2", "cvt ", "fpgm", "gasp", "name", "prep")


@dataclass(frozen=True)
class _Metrics:
    """What fpdf2 reads of `hmtx` while it shapes: `metrics[name] = (advance, lsb)`."""

    metrics: dict[str, tuple[int, int]]


@dataclass(frozen=True)
class FontPieces:
    """A TrueType font cut into what a subset is made of; read only once made."""

    glyph_order: tuple[str, ...]
    glyph_ids: dict[str, int]
    outlines: tuple[bytes, ...]  # each glyph's `glyf` entry, as in the file
    components: dict[int, tuple[tuple[int, int], ...]]  # gid: ((offset, component gid), …)
    hmtx: _Metrics
    metrics: tuple[tuple[int, int], ...]  # by gid
    codes: dict[str, tuple[int, ...]]  # glyph name: its characters (BMP only)
    head: bytes
    hhea: bytes
    maxp: bytes
    post: bytes
    copied: dict[str, bytes]
    checksums: dict[str, int]  # of the copied tables


def _components(data: bytes) -> tuple[tuple[int, int], ...]:
    """The (offset of the glyph number, glyph number) of each component of a composite."""
    out = []
    offset = 10
    while True:
        flags, gid = struct.unpack_from(">HH", data, offset)
        out.append((offset + 2, gid))
        offset += 4 + (4 if flags & _ARG_WORDS else 2)
        if flags & _HAVE_SCALE:
            offset += 2
        elif flags & _HAVE_XY_SCALE:
            offset += 4
        elif flags & _HAVE_2X2:
            offset += 8
        if not flags & _MORE:
            return tuple(out)


def cut(path) -> FontPieces:
    """Read a TrueType (`glyf`) font once."""
    font = ttLib.TTFont(path, lazy=True)
    if "glyf" not in font:  # pragma: no cover - the shipped fonts are all TrueType
        raise ValueError(f"{path}: only TrueType outlines are supported")
    glyph_order = tuple(font.getGlyphOrder())
    raw_glyf = font.reader["glyf"]
    loca = list(font["loca"])
    outlines = tuple(raw_glyf[loca[i] : loca[i + 1]] for i in range(len(glyph_order)))
    components = {
        gid: _components(data)
        for gid, data in enumerate(outlines)
        if len(data) >= 10 and struct.unpack_from(">h", data)[0] < 0
    }
    hmtx = font["hmtx"].metrics
    copied = {tag: font.reader[tag] for tag in _COPIED if tag in font.reader}
    pieces = FontPieces(
        glyph_order=glyph_order,
        glyph_ids={name: gid for gid, name in enumerate(glyph_order)},
        outlines=outlines,
        components=components,
        hmtx=_Metrics(dict(hmtx)),
        metrics=tuple(tuple(hmtx[name]) for name in glyph_order),
        codes=_codes(font.getBestCmap()),
        head=font.reader["head"],
        hhea=font.reader["hhea"],
        maxp=font.reader["maxp"],
        post=font.reader["post"],
        copied=copied,
        checksums={tag: _checksum(data) for tag, data in copied.items()},
    )
    font.close()
    return pieces


def _codes(cmap: dict[int, str]) -> dict[str, tuple[int, ...]]:
    codes: dict[str, list[int]] = {}
    for code, name in cmap.items():
        if code <= 0xFFFF:
            codes.setdefault(name, []).append(code)
    return {name: tuple(found) for name, found in codes.items()}


def _checksum(data: bytes) -> int:
    data += b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(data) // 4}L", data)) & 0xFFFFFFFF


def _cmap(pairs: list[tuple[int, int]]) -> bytes:
    """A `cmap` with one Windows Unicode BMP subtable (format 4): one segment a character."""
    segments = [*pairs, (0xFFFF, 0)]
    count = len(segments)
    search = 2 ** (count.bit_length() - 1)
    subtable = struct.pack(
        ">HHHHHHH",
        4,
        16 + 8 * count,
        0,
        2 * count,
        2 * search,
        search.bit_length() - 1,
        2 * count - 2 * search,
    )
    subtable += struct.pack(f">{count}H", *(code for code, _ in segments)) + b"\0\0"
    subtable += struct.pack(f">{count}H", *(code for code, _ in segments))
    subtable += struct.pack(f">{count}H", *(((gid - code) & 0xFFFF) for code, gid in segments))
    subtable += b"\0\0" * count
    return struct.pack(">HHHHL", 0, 1, 3, 1, 12) + subtable


def _sfnt(tables: dict[str, bytes], checksums: dict[str, int]) -> bytes:
    """A TrueType file of these tables, with checksums (those of `checksums` known)."""
    tags = sorted(tables)
    count = len(tags)
    search = 2 ** (count.bit_length() - 1)
    header = struct.pack(">LHHHH", 0x00010000, count, 16 * search, search.bit_length() - 1,
                         16 * count - 16 * search)  # fmt: skip
    offset = 12 + 16 * count
    directory, body, total = [], [], 0
    for tag in tags:
        data = tables[tag]
        checksum = checksums[tag] if tag in checksums else _checksum(data)
        total += checksum
        directory.append(struct.pack(">4sLLL", tag.encode("latin-1"), checksum, offset,
                                     len(data)))  # fmt: skip
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    head = header + b"".join(directory)
    font = bytearray(head + b"".join(body))
    head_offset = struct.unpack_from(">L", font, 12 + 16 * tags.index("head") + 8)[0]
    # The file's checksum is the sum of its header's and its tables' (padded) checksums.
    adjustment = (0xB1B0AFBA - _checksum(head) - total) & 0xFFFFFFFF
    struct.pack_into(">L", font, head_offset + 8, adjustment)
    return bytes(font)


def subset_bytes(pieces: FontPieces, names) -> tuple[bytes, dict[str, int]]:
    """The font file of the glyphs `names` (and what they need), and their new numbers."""
    wanted = {0}
    stack = [pieces.glyph_ids[name] for name in names if name in pieces.glyph_ids]
    while stack:
        gid = stack.pop()
        if gid in wanted and gid != 0:
            continue
        wanted.add(gid)
        stack.extend(component for _, component in pieces.components.get(gid, ()))
    kept = sorted(wanted)
    new_ids = {old: new for new, old in enumerate(kept)}

    glyf, loca, offset = [], [0], 0
    for old in kept:
        data = pieces.outlines[old]
        if old in pieces.components:
            patched = bytearray(data)
            for at, component in pieces.components[old]:
                struct.pack_into(">H", patched, at, new_ids[component])
            data = bytes(patched)
        data += b"\0" * (-len(data) % 4)
        glyf.append(data)
        offset += len(data)
        loca.append(offset)
    count = len(kept)
    head = bytearray(pieces.head)
    struct.pack_into(">L", head, 8, 0)  # checkSumAdjustment, set once the file is written
    struct.pack_into(">h", head, 50, 1)  # indexToLocFormat: long offsets
    hhea = bytearray(pieces.hhea)
    struct.pack_into(">H", hhea, 34, count)  # numberOfHMetrics
    maxp = bytearray(pieces.maxp)
    struct.pack_into(">H", maxp, 4, count)  # numGlyphs
    hmtx = b"".join(struct.pack(">Hh", *pieces.metrics[old]) for old in kept)
    post = struct.pack(">L", 0x00030000) + pieces.post[4:32]
    kept_names = {pieces.glyph_order[old]: new_ids[old] for old in kept}
    cmap = _cmap(
        sorted(
            (code, new_id)
            for name, new_id in kept_names.items()
            for code in pieces.codes.get(name, ())
        )
    )
    tables = dict(pieces.copied)
    tables.update(
        head=bytes(head),
        hhea=bytes(hhea),
        maxp=bytes(maxp),
        hmtx=hmtx,
        loca=struct.pack(f">{len(loca)}L", *loca),
        glyf=b"".join(glyf),
        post=post,
        cmap=cmap,
    )
    return _sfnt(tables, pieces.checksums), kept_names


class SubsetFont:
    """What fpdf2 keeps as `TTFFont.ttfont`, for one document: the shared pieces of a font,
    and the subset once fpdf2 asks for it at output."""

    def __init__(self, pieces: FontPieces):
        self.pieces = pieces
        self._subset: tuple[bytes, dict[str, int]] | None = None

    # While text is shaped (fpdf.fonts.TTFFont.perform_harfbuzz_shaping).
    def getGlyphName(self, gid: int) -> str:  # fontTools' name
        return self.pieces.glyph_order[gid]

    def __getitem__(self, tag: str):
        if tag == "hmtx":
            return self.pieces.hmtx
        raise KeyError(tag)

    def __contains__(self, tag: str) -> bool:
        return tag in ("glyf", "hmtx")

    # At output (fpdf.output.OutputProducer._add_fonts).
    def make_subset(self, names) -> None:
        self._subset = subset_bytes(self.pieces, names)

    def getGlyphID(self, name: str) -> int:  # fontTools' name
        return self._subset[1].get(name, 0)

    def save(self, file) -> None:
        file.write(self._subset[0])

    def subset_file(self) -> bytes:  # for hirfa.core.pdf_output
        return self._subset[0]

    def close(self) -> None:
        pass


class _Subsetter:
    """`fontTools.subset.Subsetter` as fpdf2 uses it, subsetting a `SubsetFont` here."""

    def __init__(self, options=None):
        self.options = options
        self.populated: dict = {}

    def populate(self, **kwargs) -> None:
        self.populated = kwargs

    def subset(self, font) -> None:
        if isinstance(font, SubsetFont):
            font.make_subset(self.populated.get("glyphs", ()))
            return
        subsetter = ftsubset.Subsetter(self.options)
        subsetter.populate(**self.populated)
        subsetter.subset(font)


def install() -> None:
    """Make fpdf2 subset `SubsetFont`s here (other fonts still go to fontTools)."""
    from fpdf import output

    if getattr(output.ftsubset, "Subsetter", None) is not _Subsetter:
        output.ftsubset = types.SimpleNamespace(Options=ftsubset.Options, Subsetter=_Subsetter)
