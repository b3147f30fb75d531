"""tables_pdf: Tables as a PDF report, each as bars and a table, in Arabic (right to
left, shaped) and in French. The pages are rasterised and looked at as images."""

from datetime import UTC, datetime

import pypdfium2 as pdfium
import pytest
from PIL import ImageOps

from hirfa.core.tables import Column, Table
from hirfa.core.tables_pdf import tables_pdf

NAMES = {"ar": ("تيزنيت", "تارودانت"), "fr": ("Tiznit", "Taroudannt")}


def figures(language, rows=None, chart="bar"):
    first, second = NAMES[language]
    return Table(
        key="per-province",
        title="الحرفيون حسب الإقليم" if language == "ar" else "Artisans par province",
        columns=(Column("name", "Province"), Column("n", "Artisans", numeric=True)),
        rows=rows or ({"name": first, "n": 1200}, {"name": second, "n": 3100}),
        chart=chart,
        x="name",
        as_of=datetime(2026, 12, 1, 8, tzinfo=UTC),
    )


def report(language, *tables):
    title = "التقرير الشهري" if language == "ar" else "Rapport mensuel"
    return tables_pdf(title=title, tables=tables or [figures(language)], language=language)


def text_of(data):
    document = pdfium.PdfDocument(data)
    return "\n".join(page.get_textpage().get_text_range() for page in document)


def page_image(data, index=0):
    return pdfium.PdfDocument(data)[index].render(scale=1).to_pil().convert("L")


def ink_box(image):
    return ImageOps.invert(image).point(lambda value: 255 if value > 60 else 0).getbbox()


def test_a_french_report_holds_its_title_names_and_figures():
    text = text_of(report("fr"))
    assert "Rapport mensuel" in text
    assert "Artisans par province" in text
    assert "Tiznit" in text and "3\u00a0100" in text.replace(" ", "\u00a0")


def test_an_arabic_report_holds_its_arabic_text():
    text = text_of(report("ar"))
    for word in ("التقرير", "تيزنيت", "تارودانت"):
        assert word in text


def test_an_arabic_report_is_laid_out_from_the_right():
    image = page_image(report("ar"))
    # The title's line: ink reaches the right margin and leaves the left half empty.
    title = image.crop((0, 40, image.width, 75))
    left, _top, right, _bottom = ink_box(title)
    assert right > image.width * 0.85 and left > image.width * 0.5


def test_a_french_report_is_laid_out_from_the_left():
    image = page_image(report("fr"))
    left, _top, right, _bottom = ink_box(image.crop((0, 40, image.width, 75)))
    assert left < image.width * 0.15 and right < image.width * 0.5


GREEN = (11, 107, 83)  # the first series' bars
TERRACOTTA = (180, 70, 43)  # the second's


def green_pixels(data, colour=GREEN):
    image = pdfium.PdfDocument(data)[0].render(scale=1).to_pil().convert("RGB")
    return sum(1 for pixel in image.get_flattened_data() if pixel == colour)


def two_series(chart):
    return Table(
        key="two",
        title="Deux séries",
        columns=(
            Column("code", "Code"),
            Column("name", "Province"),
            Column("n", "Artisans", numeric=True),
            Column("rate", "Taux", numeric=True),
        ),
        rows=({"code": "09.581", "name": "Tiznit", "n": 1200, "rate": 800},),
        chart=chart,
        x="code",
        series=("n", "rate"),
        map_level="province" if chart == "map" else "",
    )


def test_bars_of_two_series_are_drawn_side_by_side():
    assert green_pixels(report("fr", two_series("bar")), TERRACOTTA) > 100


def test_a_map_is_drawn_as_bars_of_the_series_that_colours_it():
    data = report("fr", two_series("map"))
    assert green_pixels(data) > 100
    assert green_pixels(data, TERRACOTTA) == 0


def test_the_bars_are_drawn_in_colour():
    assert green_pixels(report("fr")) > 500


def test_a_table_without_chart_draws_no_bars():
    assert green_pixels(report("fr", figures("fr", chart=""))) == 0


def test_a_long_table_runs_over_pages_with_their_numbers():
    rows = tuple({"name": f"Province {index}", "n": index} for index in range(120))
    data = report("fr", figures("fr", rows=rows))
    pages = len(pdfium.PdfDocument(data))
    assert pages >= 3
    assert f"page {pages} of {pages}" in text_of(data) or f"page {pages} sur {pages}" in text_of(
        data
    )


@pytest.mark.parametrize("language", ["zgh", "en"])
def test_the_other_languages_give_a_report_too(language):
    data = tables_pdf(title="ⴰⵏⵇⵇⵉⵙ", tables=[figures("fr")], language=language)
    assert data.startswith(b"%PDF")
    assert "Tiznit" in text_of(data)
