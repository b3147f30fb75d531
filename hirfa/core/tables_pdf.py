"""Tables of figures as a PDF report: each Table as a simple bar chart and its table.

Domain-free: `tables_pdf(title=…, tables=[…], language="ar")` draws any `core.tables.Table`
(the monthly report of the statistics puts its tables through it). Arabic pages read from
right to left: the first column is on the right, bars grow from the right, text is shaped
by HarfBuzz (`core.pdf`); French and English pages read from the left; Tamazight pages use
the Tifinagh font. Every font falls back on the others, so an Arabic name in a French
table still prints.

The chart draws the Table's `series` (or its numeric columns) as horizontal bars, one
group per row, labelled with the row's `x` (or, for a map, its name column); a Table whose
chart is "" gets no chart. The PDF has no map: a map's first series is drawn as bars.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from hirfa.core.charts import drawn_series, name_column, number
from hirfa.core.pdf import base_direction, new_document, pdf_bytes
from hirfa.core.tables import Table

FAMILIES = {"ar": "arabic", "zgh": "tifinagh"}
FALLBACKS = ("latin", "arabic", "tifinagh")
# Bar colours: the site's zellige green and terracotta, then two quieter ones.
COLOURS = ((11, 107, 83), (180, 70, 43), (58, 90, 155), (201, 154, 46))
INK = (29, 27, 22)
MUTED = (92, 86, 75)
LINE = (226, 220, 207)
HEADER_FILL = (243, 238, 228)
ROW_HEIGHT = 6.0
LINE_HEIGHT = 3.8  # of a wrapped header line
BAR_HEIGHT = 3.2
ELLIPSIS = "…"


class _Report:
    def __init__(self, pdf: FPDF, language: str):
        self.pdf = pdf
        self.language = language
        self.rtl = translation.get_language_info(language)["bidi"] if language else False
        self.direction = "rtl" if self.rtl else "ltr"
        self.family = FAMILIES.get(language, "latin")
        self.decimal = "." if language == "en" else ","
        # Every font falls back on the others: an Arabic name in a French table prints.
        pdf.set_fallback_fonts([f for f in FALLBACKS if f != self.family], exact_match=False)

    # --- text ---

    def font(self, size: float, bold: bool = False) -> None:
        # The Tifinagh font has no bold: its regular face is used for both.
        style = "B" if bold and self.family != "tifinagh" else ""
        self.pdf.set_font(self.family, style, size)

    def fit(self, text: str, width: float) -> str:
        """`text` cut (with an ellipsis) to fit `width` millimetres, cell margins included."""
        room = width - 2 * self.pdf.c_margin
        if self.pdf.get_string_width(text) <= room:
            return text
        while text and self.pdf.get_string_width(text + ELLIPSIS) > room:
            text = text[:-1]
        return text + ELLIPSIS if text else ""

    def start(self) -> Align:
        return Align.R if self.rtl else Align.L

    def end(self) -> Align:
        return Align.L if self.rtl else Align.R

    def forget_page_font(self) -> None:
        """Make fpdf2 state the font again before the next text.

        fpdf2 2.8 loses track of the page's font after a line that used a fallback font
        (a French word in an Arabic line): the next line in the main font is shaped for it
        but drawn in whatever font the page last stated (seen as garbled, bold Arabic).
        """
        self.pdf.current_font_is_set_on_page = False

    def cell(
        self, x: float, width: float, text: str, *, align: Align, height=ROW_HEIGHT, **kwargs
    ) -> None:
        self.pdf.set_x(x)
        self.forget_page_font()
        with base_direction(self.pdf, self.direction):
            self.pdf.cell(
                width, height, self.fit(text, width), align=align, new_x=XPos.RIGHT, **kwargs
            )

    def lines(self, text: str, width: float, most: int) -> list[str]:
        """`text` wrapped at spaces to `width` mm, in at most `most` lines (the last one
        cut by `cell` if it is still too long)."""
        room = width - 2 * self.pdf.c_margin
        lines: list[str] = []
        for word in text.split():
            if lines and self.pdf.get_string_width(f"{lines[-1]} {word}") <= room:
                lines[-1] = f"{lines[-1]} {word}"
            elif len(lines) < most:
                lines.append(word)
            else:
                lines[-1] = f"{lines[-1]} {word}"
        return lines or [""]

    def paragraph(self, text: str, *, size: float, bold: bool = False) -> None:
        self.font(size, bold)
        width = self.pdf.epw
        self.forget_page_font()
        with base_direction(self.pdf, self.direction):
            self.pdf.set_x(self.pdf.l_margin)
            self.pdf.multi_cell(
                width, size * 0.5, text, align=self.start(), new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )

    # --- values ---

    def value(self, value) -> str:
        if value is None:
            return "—"
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, int | float | Decimal):
            return self.number(value)
        if isinstance(value, datetime | date):
            return str(formats.localize(value, use_l10n=True))
        return str(value)

    def number(self, value) -> str:
        """Western digits, a no-break space between thousands (never a dot, which reads as
        a decimal point; a no-break space keeps "1 200" one number in right-to-left text, a
        plain space would not), the page language's decimal mark."""
        if isinstance(value, int):
            return f"{value:,}".replace(",", "\u00a0")
        text = f"{float(value):,.2f}".rstrip("0").rstrip(".")
        whole, _dot, fraction = text.partition(".")
        whole = whole.replace(",", "\u00a0")
        return whole + (self.decimal + fraction if fraction else "")

    # --- layout ---

    def x_at(self, offset: float, width: float) -> float:
        """The left edge of a box `offset` mm from the start side of the line."""
        if self.rtl:
            return self.pdf.w - self.pdf.r_margin - offset - width
        return self.pdf.l_margin + offset

    def room_for(self, height: float) -> None:
        if self.pdf.will_page_break(height):
            self.pdf.add_page()


def _labels(report: _Report, table: Table) -> list[str]:
    key = name_column(table) if table.chart == "map" else (table.x or table.columns[0].key)
    return [report.value(row.get(key)) for row in table.rows]


def _chart(report: _Report, table: Table) -> None:
    pdf = report.pdf
    # A map colours its units by its first series (the others are in its tooltip, often
    # in another unit): its bars show that one. Bars of several series share one scale.
    series = drawn_series(table)[: 1 if table.chart == "map" else 4]
    if not series or not table.rows:
        return
    labels = {column.key: str(column.label) for column in table.columns}
    values = [[number(row.get(key)) for key in series] for row in table.rows]
    largest = max((v for row in values for v in row if v is not None and v > 0), default=0)
    names = _labels(report, table)
    label_width = min(60.0, pdf.epw * 0.32)
    value_width = 22.0
    bar_room = pdf.epw - label_width - value_width - 2
    report.font(8)
    # The legend: one coloured square per series.
    if len(series) > 1:
        report.room_for(ROW_HEIGHT)
        offset = 0.0
        y = pdf.get_y()
        for index, key in enumerate(series):
            text = report.fit(labels[key], 55)
            width = min(55.0, pdf.get_string_width(text) + 2 * pdf.c_margin)
            pdf.set_fill_color(*COLOURS[index])
            pdf.rect(report.x_at(offset, 3), y + 1.5, 3, 3, style="F")
            pdf.set_y(y)
            report.cell(report.x_at(offset + 4, width), width, text, align=report.start())
            offset += width + 8
        pdf.set_y(y + ROW_HEIGHT)
    group = max(ROW_HEIGHT, BAR_HEIGHT * len(series) + 1.5)
    for name, row in zip(names, values, strict=True):
        report.room_for(group)
        y = pdf.get_y()
        pdf.set_text_color(*INK)
        report.cell(report.x_at(0, label_width), label_width, name, align=report.end())
        for index, value in enumerate(row):
            bar_y = y + (group - BAR_HEIGHT * len(series)) / 2 + index * BAR_HEIGHT
            length = bar_room * value / largest if value and value > 0 and largest else 0
            if length:
                pdf.set_fill_color(*COLOURS[index])
                pdf.rect(report.x_at(label_width + 1, length), bar_y, length, BAR_HEIGHT - 0.6, "F")
            if len(series) == 1:
                pdf.set_y(y + (group - ROW_HEIGHT) / 2)
                pdf.set_text_color(*MUTED)
                report.cell(
                    report.x_at(label_width + 2 + length, value_width),
                    value_width,
                    report.value(value),
                    align=report.start(),
                )
        pdf.set_text_color(*INK)
        pdf.set_y(y + group)
    pdf.ln(3)


def _widths(report: _Report, table: Table) -> list[float]:
    """Column widths: numbers narrower than text, all within the page."""
    weights = [1.0 if column.numeric else 1.8 for column in table.columns]
    total = sum(weights)
    return [report.pdf.epw * weight / total for weight in weights]


def _header(report: _Report, table: Table, widths: list[float]) -> None:
    """The column labels, wrapped over up to three lines on a shaded band."""
    pdf = report.pdf
    report.font(8, bold=True)
    labels = [
        report.lines(str(column.label), width, 3)
        for column, width in zip(table.columns, widths, strict=True)
    ]
    height = LINE_HEIGHT * max(len(lines) for lines in labels) + 1.5
    report.room_for(height + ROW_HEIGHT)
    y = pdf.get_y()
    pdf.set_fill_color(*HEADER_FILL)
    pdf.rect(pdf.l_margin, y, pdf.epw, height, "F")
    offset = 0.0
    for column, width, lines in zip(table.columns, widths, labels, strict=True):
        align = report.end() if column.numeric else report.start()
        for index, line in enumerate(lines):
            pdf.set_y(y + 0.75 + index * LINE_HEIGHT)
            report.cell(report.x_at(offset, width), width, line, align=align, height=LINE_HEIGHT)
        offset += width
    pdf.set_y(y + height)


def _table(report: _Report, table: Table) -> None:
    pdf = report.pdf
    widths = _widths(report, table)
    _header(report, table, widths)
    report.font(8)
    pdf.set_draw_color(*LINE)
    if not table.rows:
        report.cell(
            report.x_at(0, pdf.epw),
            pdf.epw,
            _("No figures for this selection."),
            align=report.start(),
        )
        pdf.ln(ROW_HEIGHT)
    for cells in table.cells():
        if pdf.will_page_break(ROW_HEIGHT):
            pdf.add_page()
            _header(report, table, widths)
            report.font(8)
        y = pdf.get_y()
        offset = 0.0
        for column, width, value in zip(table.columns, widths, cells, strict=True):
            pdf.set_y(y)
            align = report.end() if column.numeric else report.start()
            report.cell(
                report.x_at(offset, width), width, report.value(value), align=align, border="B"
            )
            offset += width
        pdf.set_y(y + ROW_HEIGHT)
    pdf.ln(2)


def _page_numbers(report: _Report, title: str) -> None:
    """Title and "page n of N" at the foot of every page, drawn once N is known."""
    pdf = report.pdf
    last = pdf.page
    pages = pdf.pages_count
    auto_break, bottom = pdf.auto_page_break, pdf.b_margin
    pdf.set_auto_page_break(False)
    for page in range(1, pages + 1):
        pdf.page = page
        pdf.set_y(pdf.h - 12)
        report.font(7)
        pdf.set_text_color(*MUTED)
        text = _("%(title)s — page %(page)s of %(pages)s") % {
            "title": title,
            "page": page,
            "pages": pages,
        }
        report.cell(pdf.l_margin, pdf.epw, text, align=Align.C)
    pdf.page = last
    pdf.set_auto_page_break(auto_break, margin=bottom)


def tables_pdf(*, title: str, tables, language: str) -> bytes:
    """A PDF of `tables` (each a `core.tables.Table`) under `title`, in `language`."""
    with translation.override(language):
        pdf = new_document(orientation="portrait", unit="mm", format="A4")
        pdf.set_margins(15, 15, 15)
        pdf.set_auto_page_break(True, margin=18)
        report = _Report(pdf, language)
        pdf.set_title(str(title))
        pdf.set_lang(language)
        pdf.add_page()
        pdf.set_text_color(*INK)
        report.paragraph(str(title), size=16, bold=True)
        pdf.ln(4)
        for table in tables:
            report.room_for(30)
            report.paragraph(str(table.title), size=12, bold=True)
            pdf.ln(1)
            if table.chart:
                _chart(report, table)
            _table(report, table)
            pdf.set_text_color(*MUTED)
            if table.note:
                report.paragraph(str(table.note), size=8)
            if table.as_of:
                as_of = table.as_of
                if timezone.is_aware(as_of):
                    as_of = timezone.localtime(as_of)
                when = formats.date_format(as_of, "DATETIME_FORMAT")
                report.paragraph(_("Figures as of %(when)s.") % {"when": when}, size=8)
            pdf.set_text_color(*INK)
            pdf.ln(5)
        _page_numbers(report, str(title))
        return pdf_bytes(pdf)
