import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime

import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from PIL import ImageChops

from hirfa.core import pdf as pdf_module
from hirfa.core.pdf import new_document, pdf_bytes, write_ltr, write_rtl
from hirfa.register.attestation import (
    COUNTRY_ZGH,
    TITLE_AR,
    TITLE_FR,
    TITLE_ZGH,
    VALID_OPEN_AR,
    VALID_OPEN_FR,
    VALID_OPEN_ZGH,
    AttestationData,
    french_body,
    render_attestation,
    tamazight_body,
)
from hirfa.register.numbers import format_number, make_number

DATA = AttestationData(
    number=make_number(123456789),  # 1234567894
    full_name_ar="فاطمة أيت باها",
    full_name_latin="Fatima Aït Baha",
    category_ar="صانعة تقليدية",
    category_fr="artisane",
    activity_ar="صناعة الحلي الفضية",
    activity_fr="bijouterie en argent",
    province_ar="تيزنيت",
    province_fr="Tiznit",
    registered_on=date(2025, 3, 12),
    valid_until=date(2030, 3, 11),
    issued_on=date(2026, 11, 25),
    verification_code="K7Q2-9XDM",
    verification_url="https://rna.example.ma/verifier/K7Q2-9XDM",
)


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    assert data.startswith(b"%PDF-")
    return pdfium.PdfDocument(data)


def page_text(document: pdfium.PdfDocument, index: int = 0) -> str:
    """The page's text, NFKC-normalised, every run of white space made one space."""
    text = document[index].get_textpage().get_text_range()
    return " ".join(unicodedata.normalize("NFKC", text).split())


def normalised(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def render(document: pdfium.PdfDocument, scale: float = 1):
    return document[0].render(scale=scale).to_pil().convert("L")


def ink(image) -> int:
    """How many pixels are darker than light grey."""
    return sum(image.point(lambda value: 255 if value < 160 else 0).histogram()[255:])


@pytest.fixture(scope="module")
def attestation() -> pdfium.PdfDocument:
    return open_pdf(render_attestation(DATA))


# The attestation


def test_attestation_is_one_a4_page(attestation):
    assert len(attestation) == 1
    width, height = attestation[0].get_size()
    assert width == pytest.approx(595.28, abs=0.5)
    assert height == pytest.approx(841.89, abs=0.5)


def test_attestation_text(attestation):
    text = page_text(attestation)
    assert "123 456 789 4" in text
    assert "Fatima Aït Baha" in text
    assert normalised(french_body(DATA)) in text
    assert "depuis le 12/03/2025" in text
    assert "jusqu'au 11/03/2030" in text
    assert "Délivrée le 25/11/2026" in text
    assert "K7Q2-9XDM" in text
    assert "https://rna.example.ma/verifier/K7Q2-9XDM" in text
    assert "Royaume du Maroc".upper() in text
    assert "Attestation d'exercice" in text


def test_attestation_arabic_text(attestation):
    text = page_text(attestation)
    assert normalised(DATA.full_name_ar) in text
    assert normalised(DATA.activity_ar) in text
    assert normalised("شهادة مزاولة النشاط") in text
    # Extraction gives the Unicode letters back, not presentation forms.
    assert not any("\ufb50" <= char <= "\ufeff" for char in text)


def test_arabic_is_laid_out_right_to_left(attestation):
    textpage = attestation[0].get_textpage()
    searcher = textpage.search(DATA.full_name_ar)
    found = searcher.get_next()
    assert found is not None
    start, count = found
    first_letter = textpage.get_charbox(start)
    last_letter = textpage.get_charbox(start + count - 1)
    assert first_letter[0] > last_letter[0]  # the name reads from right to left
    # …and its line ends against the right margin (20 mm = 56.7 pt).
    right_edges = [textpage.get_charbox(start + i)[2] for i in range(count)]
    assert max(right_edges) < 595.28 - 56.7 + 1


def test_attestation_prints_tifinagh_glyphs_as_text(attestation):
    text = page_text(attestation)
    assert COUNTRY_ZGH in text
    assert TITLE_ZGH in text
    assert normalised(tamazight_body(DATA)) in text


def test_tamazight_names_the_holder_and_the_place_in_tifinagh_when_known():
    data = replace(DATA, full_name_zgh="ⴼⴰⵟⵉⵎⴰ ⴰⵢⵜ ⴱⴰⵀⴰ", province_zgh="ⵜⵉⵣⵏⵉⵜ")
    text = page_text(open_pdf(render_attestation(data)))
    assert "ⵏ ⴼⴰⵟⵉⵎⴰ ⴰⵢⵜ ⴱⴰⵀⴰ ⴳⵉⵙ" in text
    assert "ⴳ ⵜⵉⵣⵏⵉⵜ, ⵙⴳ 12/03/2025" in text


def test_the_titles_come_in_the_order_arabic_tamazight_french(attestation):
    textpage = attestation[0].get_textpage()

    def top(words: str) -> float:
        start, _count = textpage.search(words).get_next()
        return textpage.get_charbox(start)[3]  # PDF y grows upwards

    assert top(TITLE_AR.split()[0]) > top(TITLE_ZGH) > top(TITLE_FR)


def test_attestation_is_not_blank(attestation):
    image = render(attestation)
    assert image.size[0] == pytest.approx(595, abs=1)
    assert image.size[1] == pytest.approx(842, abs=1)
    assert ink(image) > 5000
    # Ink on both halves: French on the left, Arabic on the right.
    width, height = image.size
    assert ink(image.crop((0, 0, width // 2, height))) > 2000
    assert ink(image.crop((width // 2, 0, width, height))) > 2000


def test_same_data_gives_the_same_bytes():
    assert render_attestation(DATA) == render_attestation(DATA)


def test_attestation_without_end_of_validity():
    text = page_text(open_pdf(render_attestation(replace(DATA, valid_until=None))))
    assert normalised(VALID_OPEN_FR) in text
    assert normalised(VALID_OPEN_AR) in text
    assert normalised(VALID_OPEN_ZGH) in text
    assert "jusqu'au" not in text


def test_direction_controls_in_a_name_cannot_reorder_the_sentence():
    spoofed = replace(DATA, full_name_ar="\u202eفاطمة أيت باها", full_name_latin="\u202eFatima")
    document = open_pdf(render_attestation(spoofed))
    text = document[0].get_textpage().get_text_range()
    assert "\u202e" not in text
    assert "Fatima sous le numéro" in normalised(text)


def test_long_fields_still_fit_on_one_page():
    long = replace(
        DATA,
        full_name_ar="فاطمة الزهراء بنت محمد بن عبد الرحمن أيت باها " * 3,
        full_name_latin="Fatima-Zahra bent Mohammed ben Abderrahmane Aït Baha " * 3,
        activity_ar="صناعة الحلي الفضية والنحاسية المرصعة بالأحجار " * 3,
        activity_fr="bijouterie en argent et en cuivre sertie de pierres " * 3,
    )
    document = open_pdf(render_attestation(long))
    assert len(document) == 1
    assert "Aït Baha" in page_text(document)


def test_an_invalid_number_is_refused():
    with pytest.raises(ValueError):
        replace(DATA, number="1234567895")


# The PDF infrastructure


def build(text_ar: str, text_fr: str, pdf: FPDF) -> bytes:
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=UTC))
    pdf.add_page()
    write_rtl(pdf, text_ar, size=16)
    write_ltr(pdf, text_fr)
    return pdf_bytes(pdf)


def plain_document() -> FPDF:
    """What new_document() stands for: fpdf2's own add_font, once per document."""
    pdf = FPDF()
    for family, style, filename in pdf_module.FONTS:
        pdf.add_font(family, style, pdf_module.FONT_DIR / filename)
    pdf.set_text_shaping(True)
    pdf.set_fallback_fonts([pdf_module.FALLBACK_FAMILY], exact_match=False)
    return pdf


def test_prepared_fonts_print_exactly_like_fonts_added_by_fpdf2():
    arabic, french = "تيزنيت، صناعة الحلي الفضية 12/03/2025", "Bijouterie en argent, Aït Baha"
    ours = open_pdf(build(arabic, french, new_document()))
    theirs = open_pdf(build(arabic, french, plain_document()))
    assert page_text(ours) == page_text(theirs)
    assert ImageChops.difference(render(ours, 2), render(theirs, 2)).getbbox() is None


def test_documents_do_not_share_font_state():
    # fpdf2 subsets a font in place when it writes the file: a font shared between
    # documents would leave the second one with the first one's glyphs only.
    first = build("صناعة الحلي", "Bijouterie", new_document())
    build("نسج الزرابي بتيزنيت", "Tissage de tapis — ⵜⵉⵣⵏⵉⵜ", new_document())
    assert build("صناعة الحلي", "Bijouterie", new_document()) == first


def test_documents_can_be_built_in_parallel():
    expected = render_attestation(DATA)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: render_attestation(DATA), range(8)))
    assert all(result == expected for result in results)


def test_arabic_is_shaped_into_joined_forms():
    pdf = new_document()
    pdf.add_page()
    write_rtl(pdf, "ببب")  # initial, medial and final forms of beh
    font = pdf.fonts["naskh"]
    used = set(font.subset.get_all_glyph_names())
    # The font maps the presentation forms of beh to its contextual glyphs.
    initial, medial, final = (font.cmap[code] for code in (0xFE91, 0xFE92, 0xFE90))
    assert {initial, medial, final} <= used
    assert font.cmap[ord("ب")] not in used  # never the isolated letter


def test_arabic_lines_start_at_the_right_even_with_a_number_first():
    pdf = new_document()
    pdf.add_page()
    write_rtl(pdf, "123 456 789 4 هو رقم التسجيل", size=16)
    document = open_pdf(pdf_bytes(pdf))
    textpage = document[0].get_textpage()
    chars = [
        (textpage.get_text_range(i, 1), textpage.get_charbox(i))
        for i in range(textpage.count_chars())
    ]
    digits = [box for char, box in chars if char.isascii() and char.isdigit()]
    letters = [box for char, box in chars if "\u0621" <= char <= "\u064a"]
    assert len(digits) == 10
    assert len(letters) == len("هورقمالتسجيل")
    # Right-to-left paragraph: the number, said first, is at the right of the words.
    assert min(box[0] for box in digits) > max(box[2] for box in letters)


def test_unused_fonts_are_left_out():
    pdf = new_document()
    pdf.add_page()
    write_ltr(pdf, "Bonjour")
    names = {font.name for font in pdf.fonts.values()}
    data = pdf_bytes(pdf)
    assert [font.fontkey for font in pdf.fonts.values()] == ["latin"]
    assert len(names) == 7
    assert data.count(b"/FontFile2") == 1


def test_wrapping_keeps_every_word_in_order():
    words = [f"mot{i}" for i in range(120)]
    pdf = new_document()
    pdf.add_page()
    write_ltr(pdf, " ".join(words), width=80)
    text = page_text(open_pdf(pdf_bytes(pdf)))
    assert text == " ".join(words)


@pytest.mark.parametrize(("separator", "read"), [("\u00a0", "1234567894"), (" ", "4789456123")])
def test_number_groups_inside_arabic_text(separator, read):
    # Plain spaces let the bidi algorithm put the groups right to left; no-break spaces,
    # which the attestation uses, keep the number in one piece.
    pdf = new_document()
    pdf.add_page()
    write_rtl(pdf, f"تحت الرقم {format_number('1234567894', separator=separator)} في تيزنيت")
    textpage = open_pdf(pdf_bytes(pdf))[0].get_textpage()
    chars = [
        (textpage.get_charbox(i)[0], textpage.get_text_range(i, 1))
        for i in range(textpage.count_chars())
    ]
    assert "".join(char for _, char in sorted(chars) if char.isdigit()) == read
