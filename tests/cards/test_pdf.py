"""The card as printed: a real PDF whose QR code reads back and verifies."""

import pypdfium2
import pytest
from PIL import Image

from hirfa.cards import pdf, printing, qr
from hirfa.cards.reading import card_texts, texts_in_pdf
from hirfa.cards.verification import verify_text
from tests.factories import issued_card

pytestmark = pytest.mark.django_db


def pages(data: bytes) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(data)
    return [page.render(scale=300 / 72).to_pil() for page in document]


def fadma(**changes) -> pdf.CardFace:
    """A card face with every script and a Tifinagh name (the pixel-comparison tests)."""
    from dataclasses import replace
    from datetime import date

    face = pdf.CardFace(
        number="1000000018", version=2, name_ar="فاضمة أيت لحسن", name_latin="Fadma AÏT LAHCEN",
        name_zgh="ⴼⴰⴹⵎⴰ ⴰⵢⵜ ⵍⵃⵙⵏ", category_ar="معلم حرفي", category_fr="Maître artisan (maâlem)",
        activity_ar="صناعة الحلي الفضية", activity_fr="Bijouterie en argent",
        province_ar="تيزنيت", province_fr="Tiznit", issued_on=date(2026, 1, 1),
        expires_on=date(2030, 12, 31), qr_text="RNA1:TEST", verify_url="https://rna.ma/verify/",
    )  # fmt: skip
    return replace(face, **changes)


def test_a_rendered_card_is_id_1_front_and_back_and_its_qr_reads_back_valid(run_jobs):
    card = issued_card(run_jobs)
    data = printing.card_pdf(card)
    document = pypdfium2.PdfDocument(data)
    assert len(document) == 2
    width, height = document[0].get_size()
    assert (round(width / 72 * 25.4, 1), round(height / 72 * 25.4, 1)) == (85.6, 54.0)
    (text,) = texts_in_pdf(data)
    assert text == printing.camera_text(card.qr_text)
    assert verify_text(text).verdict == qr.Verdict.VALID


def test_the_card_prints_both_scripts_and_the_number(run_jobs):
    card = issued_card(run_jobs)
    document = pypdfium2.PdfDocument(printing.card_pdf(card))
    front = document[0].get_textpage().get_text_range()
    assert "Fadma AIT LAHCEN" in front
    assert "ROYAUME DU MAROC" in front
    assert " ".join([card.registration.number[:3], card.registration.number[3:6]]) in front


def test_the_card_front_is_in_arabic_tamazight_and_french_from_right_to_left(run_jobs):
    card = issued_card(run_jobs)
    textpage = pypdfium2.PdfDocument(printing.card_pdf(card))[0].get_textpage()
    front = textpage.get_text_range()
    for tifinagh in (pdf.COUNTRY_ZGH, pdf.REGISTER_ZGH, pdf.TITLE_ZGH, pdf.ACTIVITY_ZGH):
        assert tifinagh in front

    def left(words: str) -> float:
        start, _count = textpage.search(words).get_next()
        return textpage.get_charbox(start)[0]

    assert left("البطاقة") > left(pdf.TITLE_ZGH) > left(pdf.TITLE_FR)


def test_a_tifinagh_line_is_printed_when_the_name_is_known(run_jobs):
    card = issued_card(run_jobs, first_name_zgh="ⴼⴰⴹⵎⴰ", last_name_zgh="ⴰⵢⵜ ⵍⵃⵙⵏ")
    assert qr.decode_card(card.qr_text, printing.keys.public_key).card.name_zgh == "ⴼⴰⴹⵎⴰ ⴰⵢⵜ ⵍⵃⵙⵏ"
    front = pypdfium2.PdfDocument(printing.card_pdf(card))[0].get_textpage().get_text_range()
    assert "ⴼⴰⴹⵎⴰ" in front


def test_the_photo_of_the_holder_is_printed(run_jobs):
    card = issued_card(run_jobs)
    assert printing.photo_bytes(card) is not None
    front = pages(printing.card_pdf(card))[0]
    # The factory's photo is a beige square: the photo area is that colour.
    x, y = int(10 / 25.4 * 300), int(25 / 25.4 * 300)
    pixel = front.getpixel((x, y))
    assert all(abs(a - b) <= 3 for a, b in zip(pixel, (200, 180, 150), strict=True))


def test_the_print_sheet_holds_eight_cards_a_page_fronts_then_backs(run_jobs):
    from hirfa.cards.models import Card
    from tests.factories import agent_of, officer_of

    officer, agent = officer_of("09.581"), agent_of("09")
    for index in range(9):
        issued_card(run_jobs, officer=officer, agent=agent, cnie=f"JK{index:06d}",
                    phone=f"06123400{index:02d}")  # fmt: skip
    data = printing.sheet_pdf(Card.objects.order_by("id"))
    document = pypdfium2.PdfDocument(data)
    assert len(document) == 4
    width, height = document[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    backs = texts_in_pdf(data)
    assert len(backs) == 9
    assert {verify_text(text).verdict for text in backs} == {qr.Verdict.VALID}


def test_an_unreadable_image_or_pdf_is_a_clear_error(tmp_path):
    from hirfa.cards.reading import Unreadable

    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(Unreadable):
        card_texts(str(broken))
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.4 garbage")
    with pytest.raises(Unreadable):
        card_texts(str(fake))


def test_a_photo_of_the_card_verifies_from_the_command_line(run_jobs, tmp_path):
    from io import StringIO

    from django.core.management import call_command

    card = issued_card(run_jobs)
    back = pages(printing.card_pdf(card))[1]
    photo = tmp_path / "back.jpg"
    back.rotate(7, expand=True, fillcolor="white").save(photo, quality=80)
    out = StringIO()
    call_command("verify_card", str(photo), stdout=out)
    assert out.getvalue().startswith("VALID")


def test_print_cards_writes_the_sheet_of_a_province(run_jobs, tmp_path):
    from django.core.management import call_command

    issued_card(run_jobs)
    output = tmp_path / "sheet.pdf"
    call_command("print_cards", str(output), "--province", "09.581", "--limit", "5")
    assert len(texts_in_pdf(output.read_bytes())) == 1


def test_long_names_shrink_to_fit_instead_of_overflowing():
    from datetime import date

    face = pdf.CardFace(
        number="1000000018", version=1, name_ar="عبد الرحمن " * 6, name_latin="Abderrahmane " * 6,
        name_zgh="", category_ar="معلم حرفي", category_fr="Maître artisan (maâlem)",
        activity_ar="نشاط " * 12, activity_fr="Activité " * 12, province_ar="تيزنيت",
        province_fr="Tiznit", issued_on=date(2026, 1, 1), expires_on=date(2030, 12, 31),
        qr_text="RNA1:TEST", verify_url="http://127.0.0.1:8000/verify/",
    )  # fmt: skip
    image = pages(pdf.render_card(face))[0]
    # Nothing is drawn over the right edge of the card's text area (the last 1 mm).
    edge = image.crop((image.width - 10, 120, image.width, 440)).convert("L")
    assert edge.getextrema()[0] > 200


def test_texts_repeated_on_a_sheet_print_as_the_first_time():
    """Repeated texts are replayed, not drawn again: the second card of a sheet must look
    exactly like the first (the same face, at the next place)."""

    from PIL import ImageChops

    face = fadma(version=1, name_latin="Fadma AIT LAHCEN", name_zgh="ⴼⴰⴹⵎⴰ")
    scale = 200 / 72
    document = pypdfium2.PdfDocument(pdf.render_sheet([face, face]))

    def crops(page):
        image = page.render(scale=scale).to_pil().convert("L")
        boxes = []
        for index in (0, 1):
            x, y = pdf._slot(index, back=False)
            left, top = round(x / 25.4 * 200), round(y / 25.4 * 200)
            boxes.append(image.crop((left, top, left + 660, top + 420)))
        return boxes

    first, second = crops(document[0])
    difference = ImageChops.difference(first, second).point(lambda v: 255 if v > 96 else 0)
    assert difference.histogram()[255] < 0.002 * 660 * 420
    # And the replayed texts are there at all: the second card is not blank.
    assert second.getextrema()[0] < 50


def test_the_printed_qr_code_reads_back_at_error_correction_q(run_jobs):
    import zxingcpp

    card = issued_card(run_jobs)
    back = pages(printing.card_pdf(card))[1]
    (code,) = zxingcpp.read_barcodes(back.convert("L"), formats=zxingcpp.BarcodeFormat.QRCode)
    assert code.ec_level == "Q"
    assert code.text == printing.camera_text(card.qr_text)


def test_a_card_prints_pixel_for_pixel_as_with_fonttools_subsetting(monkeypatch):
    """The fonts embedded by hirfa.core.font_subset draw exactly what fpdf2's own subsets
    (fontTools, from the whole font file) draw: the card rendered both ways, at 300 dpi."""

    from fontTools import ttLib
    from PIL import ImageChops

    from hirfa.core import pdf as core_pdf

    face = fadma()
    ours = pages(pdf.render_card(face))

    prepare = core_pdf._font_for_document

    def with_fonttools(prepared, index):
        font = prepare(prepared, index)
        font.ttfont = ttLib.TTFont(font.ttffile, recalcTimestamp=False, recalcBBoxes=False)
        return font

    monkeypatch.setattr(core_pdf, "_font_for_document", with_fonttools)
    theirs = pages(pdf.render_card(face))
    for our_page, their_page in zip(ours, theirs, strict=True):
        assert ImageChops.difference(our_page, their_page).getbbox() is None
        assert our_page.convert("L").getextrema()[0] < 50  # and there is something drawn


def test_texts_drawn_in_an_earlier_document_print_as_when_drawn_afresh(monkeypatch):
    """Texts drawn in another card's PDF before are replayed with this document's glyph
    codes: the card looks exactly as when everything is drawn anew."""
    from dataclasses import replace

    from PIL import ImageChops

    first = fadma(version=1, name_latin="Fadma AIT LAHCEN", name_zgh="ⴼⴰⴹⵎⴰ")
    second = replace(
        first, number="1000000026", name_ar="محمد العلوي", name_latin="Mohamed ALAOUI",
        name_zgh="", activity_ar="نسج الزرابي", activity_fr="Tissage de tapis",
    )  # fmt: skip
    monkeypatch.setattr(pdf, "_drawn_before", {})
    pdf.render_card(first)
    assert pdf._drawn_before  # the texts of the first card are kept
    replayed = pages(pdf.render_card(second))
    monkeypatch.setattr(pdf, "_drawn_before", {})
    afresh = pages(pdf.render_card(second))
    for ours, theirs in zip(replayed, afresh, strict=True):
        assert ImageChops.difference(ours, theirs).getbbox() is None


def test_a_card_prints_pixel_for_pixel_as_with_fpdf2s_own_font_output(monkeypatch):
    """Fonts written by hirfa.core.pdf_output (a glyph map up to the highest code used)
    draw exactly what fpdf2's own output of the same subsets (a 128 KB map) draws."""

    from fpdf.output import OutputProducer
    from PIL import ImageChops

    from hirfa.core import pdf as core_pdf

    face = fadma()
    ours = pdf.render_card(face)
    monkeypatch.setattr(core_pdf, "SubsetFontsOutput", OutputProducer)
    theirs = pdf.render_card(face)
    assert len(ours) < len(theirs)  # the four 128 KB maps are gone
    for our_page, their_page in zip(pages(ours), pages(theirs), strict=True):
        assert ImageChops.difference(our_page, their_page).getbbox() is None
        assert our_page.convert("L").getextrema()[0] < 50
    for our_page, their_page in zip(
        pypdfium2.PdfDocument(ours), pypdfium2.PdfDocument(theirs), strict=True
    ):  # and the text copied from it is the same (the ToUnicode maps)
        assert (
            our_page.get_textpage().get_text_range() == their_page.get_textpage().get_text_range()
        )
