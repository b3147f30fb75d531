"""The artisan's data as a readable PDF, in Arabic and French (`selectors.personal_data`).

Like the attestation, the document is bilingual whatever language the site is read in: its
headings are constants here, each in Arabic (right-aligned) and French (left-aligned). Values
are printed as the register holds them, each in the direction and font of its script.
"""

from __future__ import annotations

import json
import re

from fpdf import FPDF

from hirfa.core.pdf import new_document, pdf_bytes, write_ltr, write_paragraph, write_rtl

TITLE_AR = "معطياتي الشخصية في السجل الوطني للصناعة التقليدية"
TITLE_FR = "Mes données personnelles au Registre National de l'Artisanat"
INTRO_AR = (
    "القانون 09-08: هذه هي كل المعطيات التي يحتفظ بها السجل عنكم، بما في ذلك من اطلع على ملفكم."
)
INTRO_FR = (
    "Loi 09-08 : voici toutes les données que le registre conserve sur vous, y compris qui a "
    "consulté votre dossier."
)
GENERATED = ("تاريخ الإعداد", "Établi le")

SECTIONS = {
    "account": ("الحساب", "Compte"),
    "person": ("الهوية", "Identité"),
    "registrations": ("التسجيلات", "Inscriptions"),
    "dossiers": ("الملفات", "Dossiers"),
    "cards": ("البطاقات المهنية", "Cartes professionnelles"),
    "coverage": ("التغطية الصحية (AMO)", "Couverture maladie (AMO)"),
    "notifications": ("الإشعارات المرسلة", "Notifications envoyées"),
    "accesses": ("من اطلع على ملفي", "Qui a consulté mon dossier"),
    "audit": ("سجل التتبع", "Journal d'audit"),
}
NONE = ("لا شيء", "Aucun")

_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\x00-\x09\x0b-\x1f\x7f]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_TIFINAGH = re.compile("[\u2d30-\u2d7f]")
_MAX_VALUE = 600  # characters of one value printed (the JSON download has them whole)


def _clean(value) -> str:
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    text = _BIDI_CONTROLS.sub("", "" if value is None else str(value)).strip()
    return text if len(text) <= _MAX_VALUE else text[:_MAX_VALUE] + "…"


def _family(text: str) -> tuple[str, str]:
    """(font family, direction) for a value: by its script."""
    if _ARABIC.search(text):
        return "arabic", "rtl"
    if _TIFINAGH.search(text):
        return "tifinagh", "ltr"
    return "latin", "ltr"


def _heading(pdf: FPDF, arabic: str, french: str, size: float = 13) -> None:
    pdf.ln(2)
    write_rtl(pdf, arabic, family="arabic", style="B", size=size)
    write_ltr(pdf, french, style="B", size=size - 1)
    pdf.set_draw_color(170, 170, 170)
    pdf.line(pdf.l_margin, pdf.get_y() + 1, pdf.w - pdf.r_margin, pdf.get_y() + 1)
    pdf.ln(3)


def _line(pdf: FPDF, key: str, value) -> None:
    text = _clean(value)
    if text == "":
        text = "—"
    family, direction = _family(text)
    if direction == "rtl":
        write_ltr(pdf, f"{key}:", size=8)
        write_paragraph(pdf, text, direction="rtl", family=family, size=9)
    else:
        # The field name and its value on one line, in the value's font (Latin keys print in
        # every family: the Latin font is the fallback).
        write_paragraph(pdf, f"{key}: {text}", direction="ltr", family=family, size=9)


def _record(pdf: FPDF, record: dict, skip: tuple[str, ...] = ()) -> None:
    for key, value in record.items():
        if key in skip:
            continue
        if isinstance(value, list) and value and isinstance(value[0], dict):
            write_ltr(pdf, f"{key}:", style="B", size=9)
            for item in value:
                _record_indented(pdf, item)
            continue
        _line(pdf, key, value)
    pdf.ln(2)


def _record_indented(pdf: FPDF, record: dict) -> None:
    margin = pdf.l_margin
    pdf.set_left_margin(margin + 6)
    try:
        _record(pdf, record)
    finally:
        pdf.set_left_margin(margin)
        pdf.set_x(margin)


def render(data: dict) -> bytes:
    """The PDF of `data` (as `selectors.personal_data` returns it)."""
    pdf = new_document(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_title(TITLE_FR)
    pdf.add_page()
    write_rtl(pdf, TITLE_AR, family="naskh", style="B", size=15)
    write_ltr(pdf, TITLE_FR, style="B", size=13)
    pdf.ln(2)
    write_rtl(pdf, INTRO_AR, family="arabic", size=10)
    write_ltr(pdf, INTRO_FR, size=9)
    write_ltr(pdf, f"{GENERATED[1]} / {data['generated_at']}", size=8)
    write_ltr(pdf, f"{data['controller']} — {data['purpose']}", size=8)
    for key, (arabic, french) in SECTIONS.items():
        _heading(pdf, arabic, french)
        value = data.get(key)
        items = value if isinstance(value, list) else ([value] if value else [])
        if not items:
            write_rtl(pdf, NONE[0], family="arabic", size=9)
            write_ltr(pdf, NONE[1], size=9)
            continue
        for item in items:
            _record(pdf, item)
    return pdf_bytes(pdf)
