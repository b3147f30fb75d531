"""The attestation d'exercice (شهادة مزاولة النشاط): a one-page A4 PDF, in Arabic, Tamazight
(Tifinagh) and French.

The attestation is an official document in the three languages of Moroccan official
documents, always all three whatever language the reader uses the site in, in their usual
order (Arabic, Tamazight, French): its text lives here as constants and is not translated
through gettext. Arabic is set right-aligned, Tamazight and French left-aligned; on a line
shared by the three, Arabic is at the right, Tamazight in the middle and French at the left
(the order read from the right). Dates are dd/mm/yyyy; the registration number is printed
in its groups (123 456 789 4). The Tamazight wording follows docs/tamazight-glossary.md.

A signed QR code (docs/card-qr.md §10) lets anyone check the attestation offline at
`/verify/`; the code and address printed beside it let them check it by hand.

`render_attestation()` is a pure function of `AttestationData`: the same data always gives
the same bytes (the PDF's creation date is the date of issue), so a file can be cached,
compared or re-issued identically.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from hirfa.core.pdf import base_direction, new_document, pdf_bytes, write_ltr, write_rtl
from hirfa.core.qrcodes import dark_runs, qr_matrix
from hirfa.register.numbers import format_number, is_valid

# --- The text of the document --------------------------------------------------------

COUNTRY_AR = "المملكة المغربية"
COUNTRY_ZGH = "ⵜⴰⴳⵍⴷⵉⵜ ⵏ ⵍⵎⵖⵔⵉⴱ"
COUNTRY_FR = "Royaume du Maroc"
REGISTER_AR = "السجل الوطني للصناعة التقليدية"
REGISTER_ZGH = "ⴰⵙⵎⵎⴻⵎ ⴰⵏⴰⵎⵓⵔ ⵏ ⵜⵥⵓⵕⵉ ⵜⴰⵏⵎⵣⵡⵓⵔⵜ"
REGISTER_FR = "Registre National de l'Artisanat"
TITLE_AR = "شهادة مزاولة النشاط"
TITLE_ZGH = "ⵜⴰⵙⵍⴽⵉⵜ ⵏ ⵜⵡⵓⵔⵉ"
TITLE_FR = "Attestation d'exercice"
NUMBER_LABEL_AR = "رقم التسجيل"
NUMBER_LABEL_ZGH = "ⵓⵟⵟⵓⵏ ⵏ ⵓⵣⵎⵎⴻⵎ"
NUMBER_LABEL_FR = "N° d'inscription"

# The sentences name the holder through a noun ("the registration of …", "l'inscription
# de …") and the category as a quoted label, so they read right for a man, a woman, a
# cooperative or an enterprise, and no French elision ("de artisan") is ever needed.
BODY_AR = (
    "يشهد السجل الوطني للصناعة التقليدية بتسجيل {name} فيه تحت الرقم {number}، "
    "ضمن فئة «{category}»، لمزاولة نشاط «{activity}» في {province}، وذلك منذ {registered_on}."
)
BODY_FR = (
    "Le Registre National de l'Artisanat atteste l'inscription de {name} sous le numéro "
    "{number}, dans la catégorie « {category} », pour l'exercice de l'activité "
    "« {activity} » à {province}, depuis le {registered_on}."
)
BODY_ZGH = (
    "ⵉⵙⵙⵍⴽⵎ ⵓⵙⵎⵎⴻⵎ ⴰⵏⴰⵎⵓⵔ ⵏ ⵜⵥⵓⵕⵉ ⵜⴰⵏⵎⵣⵡⵓⵔⵜ ⴰⵣⵎⵎⴻⵎ ⵏ {name} ⴳⵉⵙ ⵙ ⵓⵟⵟⵓⵏ {number}, "
    "ⴳ ⵜⴳⵔⵓⵎⵎⴰ « {category} », ⵉ ⵜⵎⵙⴽⴰⵔⵜ « {activity} » ⴳ {province}, ⵙⴳ {registered_on}."
)
VALID_UNTIL_AR = "تظل هذه الشهادة صالحة إلى غاية {valid_until}."
VALID_UNTIL_ZGH = "ⵜⴰⵙⵍⴽⵉⵜ ⴰ ⵜⵚⵃⴰ ⴰⵔ {valid_until}."
VALID_UNTIL_FR = "La présente attestation est valable jusqu'au {valid_until}."
VALID_OPEN_AR = "تظل هذه الشهادة صالحة ما لم يتم التشطيب على التسجيل."
VALID_OPEN_ZGH = "ⵜⴰⵙⵍⴽⵉⵜ ⴰ ⵜⵚⵃⴰ ⵎⴰⴷⴰⵎ ⵓⵔ ⵉⵜⵜⵓⴽⴽⵙ ⵓⵣⵎⵎⴻⵎ ⵙⴳ ⵓⵙⵎⵎⴻⵎ."
VALID_OPEN_FR = "La présente attestation est valable tant que l'inscription n'est pas radiée."
ISSUED_AR = "سلمت بتاريخ {issued_on}"
ISSUED_ZGH = "ⵜⵜⵓⵙⵙⵓⴼⵖ ⴳ {issued_on}"
ISSUED_FR = "Délivrée le {issued_on}"
VERIFY_AR = (
    "للتحقق من صحة هذه الشهادة، امسحوا الرمز بهاتفكم أو أدخلوا رمز التحقق في الموقع أسفله "
    "أو اتصلوا بغرفة الصناعة التقليدية."
)
VERIFY_ZGH = (
    "ⴰⴷ ⵜⵙⵙⵉⴷⵜⵎ ⵜⴰⵙⵍⴽⵉⵜ ⴰ, ⵙⴽⴰⵏⵉⵜ ⴰⵏⴳⵍⴰ ⴽⵢⵓⴰⵔ ⵙ ⵓⵜⵉⵍⵉⴼⵓⵏ ⵏⵏⵓⵏ ⵏⵖ ⵙⵙⴽⵛⵎⵜ ⴰⵏⴳⵍⴰ ⵏ ⵓⵙⵙⵉⴷⵜ "
    "ⴳ ⵓⵏⵙⴰ ⵍⵍⵉ ⴷⴷⴰⵡ ⵏⵖ ⵜⵎⵓⵏⵎ ⴷ ⵜⵖⵔⴼⵜ ⵏ ⵜⵥⵓⵕⵉ ⵜⴰⵏⵎⵣⵡⵓⵔⵜ."
)
VERIFY_FR = (
    "Pour vérifier cette attestation, scannez le code avec votre téléphone, saisissez son "
    "code de vérification à l'adresse ci-dessous ou adressez-vous à une chambre d'artisanat."
)
CODE_LABEL_AR = "رمز التحقق"
CODE_LABEL_ZGH = "ⴰⵏⴳⵍⴰ ⵏ ⵓⵙⵙⵉⴷⵜ"
CODE_LABEL_FR = "Code de vérification"
DOCUMENT_TITLE = f"{TITLE_FR} / {TITLE_ZGH} / {TITLE_AR}"

DATE_FORMAT = "%d/%m/%Y"
TIME_ZONE = ZoneInfo("Africa/Casablanca")

# --- Layout (millimetres, A4 portrait) ---------------------------------------------------

MARGIN = 20
ACCENT = (0, 98, 51)  # the green of the flag
RULE = (170, 170, 170)
TEXT = (20, 20, 20)

# Bidi embeddings, overrides and isolates, and other invisible format characters: inside
# a name they could reorder the rest of the sentence (the number included), so data
# fields lose them before they are printed.
_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\x00-\x1f\x7f]")
# A no-break space is a "common number separator" for the bidi algorithm: between digits
# it keeps the groups of the number in order inside Arabic text, and never breaks a line.
_NUMBER_SEPARATOR = "\u00a0"


@dataclass(frozen=True)
class AttestationData:
    number: str  # canonical, 10 digits
    full_name_ar: str
    full_name_latin: str
    category_ar: str  # e.g. صانع تقليدي
    category_fr: str  # e.g. artisan
    activity_ar: str
    activity_fr: str
    province_ar: str  # the bare name: تيزنيت
    province_fr: str  # the bare name: Tiznit
    registered_on: date
    valid_until: date | None
    issued_on: date
    verification_code: str
    verification_url: str
    # Tamazight: the holder's name in Tifinagh (the Latin name when unknown), the category,
    # activity and province in Tifinagh (their French names when unknown).
    full_name_zgh: str = ""
    category_zgh: str = ""
    activity_zgh: str = ""
    province_zgh: str = ""
    # The text of the signed QR code (`PUBLIC_URL/verify/#RNA1:…`); no code when empty.
    qr_text: str = ""

    def __post_init__(self):
        if not is_valid(self.number):
            raise ValueError(f"not a valid registration number: {self.number!r}")


def _clean(text: str) -> str:
    return " ".join(_BIDI_CONTROLS.sub("", text).split())


def _date(value: date) -> str:
    return value.strftime(DATE_FORMAT)


def arabic_body(data: AttestationData) -> str:
    number = format_number(data.number, separator=_NUMBER_SEPARATOR)
    body = BODY_AR.format(
        name=_clean(data.full_name_ar),
        number=number,
        category=_clean(data.category_ar),
        activity=_clean(data.activity_ar),
        province=_clean(data.province_ar),
        registered_on=_date(data.registered_on),
    )
    if data.valid_until is None:
        return f"{body} {VALID_OPEN_AR}"
    return f"{body} {VALID_UNTIL_AR.format(valid_until=_date(data.valid_until))}"


def french_body(data: AttestationData) -> str:
    number = format_number(data.number, separator=_NUMBER_SEPARATOR)
    body = BODY_FR.format(
        name=_clean(data.full_name_latin),
        number=number,
        category=_clean(data.category_fr),
        activity=_clean(data.activity_fr),
        province=_clean(data.province_fr),
        registered_on=_date(data.registered_on),
    )
    if data.valid_until is None:
        return f"{body} {VALID_OPEN_FR}"
    return f"{body} {VALID_UNTIL_FR.format(valid_until=_date(data.valid_until))}"


def tamazight_body(data: AttestationData) -> str:
    number = format_number(data.number, separator=_NUMBER_SEPARATOR)
    body = BODY_ZGH.format(
        name=_clean(data.full_name_zgh or data.full_name_latin),
        number=number,
        category=_clean(data.category_zgh or data.category_fr),
        activity=_clean(data.activity_zgh or data.activity_fr),
        province=_clean(data.province_zgh or data.province_fr),
        registered_on=_date(data.registered_on),
    )
    if data.valid_until is None:
        return f"{body} {VALID_OPEN_ZGH}"
    return f"{body} {VALID_UNTIL_ZGH.format(valid_until=_date(data.valid_until))}"


def _rule(pdf: FPDF, y: float, color=RULE, width: float = 0.3) -> None:
    pdf.set_draw_color(*color)
    pdf.set_line_width(width)
    pdf.line(MARGIN, y, pdf.w - MARGIN, y)


def _three_sided_line(
    pdf: FPDF, french: str, tamazight: str, arabic: str, *, size: float, style: str = ""
) -> None:
    """One line in three thirds: French at the left, Tamazight in the middle, Arabic at the
    right (Arabic, Tamazight, French read from the right)."""
    y = pdf.get_y()
    third = (pdf.w - 2 * MARGIN) / 3
    pdf.set_font("latin", style, size)
    pdf.set_xy(MARGIN, y)
    pdf.cell(third, size * 0.5, french, align=Align.L)
    pdf.set_font("tifinagh", "", size)  # Noto Sans Tifinagh has no bold
    pdf.set_xy(MARGIN + third, y)
    pdf.cell(third, size * 0.5, tamazight, align=Align.C)
    pdf.set_font("naskh", style, size + 1)
    pdf.set_xy(MARGIN + 2 * third, y)
    with base_direction(pdf, "rtl"):
        pdf.cell(third, size * 0.5, arabic, align=Align.R)
    pdf.set_xy(MARGIN, y + size * 0.5)


def _header(pdf: FPDF) -> None:
    pdf.set_text_color(*TEXT)
    _three_sided_line(pdf, COUNTRY_FR.upper(), COUNTRY_ZGH, COUNTRY_AR, size=11, style="B")
    pdf.ln(1)
    _three_sided_line(pdf, REGISTER_FR, REGISTER_ZGH, REGISTER_AR, size=8.5)
    pdf.ln(3)
    _rule(pdf, pdf.get_y(), ACCENT, 0.8)
    pdf.ln(9)


def _titles(pdf: FPDF) -> None:
    pdf.set_text_color(*ACCENT)
    pdf.set_font("naskh", "B", 24)
    with base_direction(pdf, "rtl"):
        pdf.cell(0, 13, TITLE_AR, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("tifinagh", "", 17)
    pdf.cell(0, 9, TITLE_ZGH, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("latin", "B", 18)
    pdf.cell(0, 10, TITLE_FR, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*TEXT)
    pdf.ln(5)


def _number_box(pdf: FPDF, number: str) -> None:
    """The number, large, in a box, with its label in the three languages."""
    width, height = 120, 24
    x, y = (pdf.w - width) / 2, pdf.get_y()
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    pdf.rect(x, y, width, height)
    third = (width - 8) / 3
    pdf.set_xy(x + 4, y + 2)
    pdf.set_font("latin", "", 9)
    pdf.cell(third, 5, NUMBER_LABEL_FR, align=Align.L)
    pdf.set_font("tifinagh", "", 9)
    pdf.cell(third, 5, NUMBER_LABEL_ZGH, align=Align.C)
    pdf.set_font("naskh", "", 10)
    with base_direction(pdf, "rtl"):
        pdf.cell(third, 5, NUMBER_LABEL_AR, align=Align.R)
    pdf.set_xy(x, y + 9)
    pdf.set_font("latin", "B", 22)
    pdf.cell(width, 12, format_number(number), align=Align.C)
    pdf.set_xy(MARGIN, y + height + 7)


QR_SIDE = 34  # millimetres: a version 15 code (77 modules) of 0.44 mm modules


def _draw_qr(pdf: FPDF, x: float, y: float, side: float, text: str) -> None:
    """Dark modules as filled rectangles, one per run in a row (as the card draws them)."""
    size, modules = qr_matrix(text)
    unit = side / size
    pdf.set_fill_color(0, 0, 0)
    for row, start, length in dark_runs(size, modules):
        pdf.rect(x + start * unit, y + row * unit, length * unit, unit, style="F")


def _footer(pdf: FPDF, data: AttestationData) -> None:
    """The signed QR code, and the verification code and address, at the bottom of the
    page; the texts beside the QR code, or across the page when there is none."""
    footer_height = 60
    top = max(pdf.get_y() + 6, pdf.h - MARGIN - footer_height)
    _rule(pdf, top)
    left, width = MARGIN, pdf.w - 2 * MARGIN
    if data.qr_text:
        _draw_qr(pdf, MARGIN, top + 5, QR_SIDE, data.qr_text)
        left, width = MARGIN + QR_SIDE + 4, width - QR_SIDE - 4
    pdf.set_xy(left, top + 4)
    write_rtl(pdf, VERIFY_AR, size=10, height=5.5, width=width)
    pdf.set_x(left)
    write_ltr(pdf, VERIFY_ZGH, family="tifinagh", size=8.5, height=4.5, width=width)
    pdf.set_x(left)
    write_ltr(pdf, VERIFY_FR, size=8.5, height=4.5, width=width)
    pdf.ln(3)
    y = pdf.get_y()
    third = width / 3
    for offset, (family, text, align) in enumerate(
        (
            ("latin", f"{CODE_LABEL_FR} :", Align.L),
            ("tifinagh", CODE_LABEL_ZGH, Align.C),
            ("naskh", CODE_LABEL_AR, Align.R),
        )
    ):
        pdf.set_font(family, "", 10)
        pdf.set_xy(left + offset * third, y)
        with base_direction(pdf, "rtl" if family == "naskh" else "ltr"):
            pdf.cell(third, 5, text, align=align)
    pdf.set_xy(left, y + 6)
    pdf.set_font("latin", "B", 16)
    pdf.cell(width, 8, _clean(data.verification_code), align=Align.C)
    url = _clean(data.verification_url)
    size = 10
    pdf.set_font("latin", "", size)
    while size > 6 and pdf.get_string_width(url) > width - 2 * pdf.c_margin:
        size -= 0.5
        pdf.set_font_size(size)
    pdf.set_text_color(*ACCENT)
    pdf.set_xy(left, y + 15)
    pdf.cell(width, 5, url, align=Align.C)
    pdf.set_text_color(*TEXT)


def render_attestation(data: AttestationData) -> bytes:
    """The attestation as a one-page A4 PDF."""
    pdf = new_document(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(DOCUMENT_TITLE)
    pdf.set_subject(f"{REGISTER_FR} — {format_number(data.number)}")
    pdf.set_author(REGISTER_FR)
    pdf.set_creator("hirfa")
    pdf.set_lang("ar-MA")
    pdf.set_creation_date(datetime.combine(data.issued_on, time(), tzinfo=TIME_ZONE))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_page()

    _header(pdf)
    _titles(pdf)
    _number_box(pdf, data.number)
    write_rtl(pdf, arabic_body(data), size=13, height=8)
    pdf.ln(4)
    write_ltr(pdf, tamazight_body(data), family="tifinagh", size=10.5, height=6)
    pdf.ln(4)
    write_ltr(pdf, french_body(data), size=10.5, height=6)
    pdf.ln(6)
    issued = _date(data.issued_on)
    _three_sided_line(
        pdf,
        ISSUED_FR.format(issued_on=issued),
        ISSUED_ZGH.format(issued_on=issued),
        ISSUED_AR.format(issued_on=issued),
        size=10,
    )
    _footer(pdf, data)
    return pdf_bytes(pdf)
