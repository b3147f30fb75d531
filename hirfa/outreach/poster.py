"""The printable A4 poster of an event, for the chamber to put up: the title in Arabic,
Tamazight and French, the dates, the place, and a QR code to the event's page.

Like the attestation, the poster is printed in all three languages whatever the reader's
language, so its few fixed words are constants here, not gettext strings.
"""

from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from hirfa.core.pdf import new_document, pdf_bytes, write_ltr, write_rtl
from hirfa.core.qrcodes import dark_runs, qr_matrix
from hirfa.outreach.ics import event_url
from hirfa.outreach.models import Event

HEADER_AR = "غرفة الصناعة التقليدية · السجل الوطني للصناعة التقليدية"
HEADER_FR = "Registre National de l'Artisanat"
SCAN_AR = "امسحوا الرمز لمعرفة التفاصيل والتسجيل"
SCAN_FR = "Scannez le code pour les détails et l'inscription"
SCAN_ZGH = "ⵙⴽⴰⵏⵉ ⵜⴰⵏⴳⵍⴰ ⵉ ⵜⵓⵎⵔⵉⵙⵉⵏ ⴷ ⵓⵣⵎⵎⴻⵎ"
BRING_AR = "أحضروا بطاقتكم الوطنية للتعريف الإلكترونية"
BRING_FR = "Apportez votre carte nationale d'identité (CNIE)"
QR_SIDE = 80  # millimetres


def _draw_qr(pdf: FPDF, x: float, y: float, side: float, text: str) -> None:
    """Dark modules as filled rectangles, one per run in a row (as the cards draw theirs)."""
    size, modules = qr_matrix(text)
    unit = side / size
    pdf.set_fill_color(0, 0, 0)
    for row, start, length in dark_runs(size, modules):
        pdf.rect(x + start * unit, y + row * unit, length * unit, unit, style="F")


def _sessions(event: Event) -> list[str]:
    lines = []
    for session in event.sessions.all():
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        lines.append(f"{start:%d/%m/%Y}  {start:%H:%M} – {end:%H:%M}")
    return lines


def render_poster(event: Event) -> bytes:
    pdf = new_document(unit="mm", format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_title(event.name_fr)
    write_rtl(pdf, HEADER_AR, family="arabic", size=12)
    write_ltr(pdf, HEADER_FR, size=10)
    pdf.ln(6)
    write_rtl(pdf, event.name_ar, family="naskh", style="B", size=26, height=14)
    if event.name_zgh:
        write_ltr(pdf, event.name_zgh, family="tifinagh", size=18, height=10)
    write_ltr(pdf, event.name_fr, style="B", size=18, height=10)
    pdf.ln(4)
    for line in _sessions(event)[:8]:
        pdf.set_font("latin", "B", 16)
        pdf.cell(0, 9, line, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    place = f"{event.venue} — {event.commune.name_fr}"
    write_ltr(pdf, place, size=13)
    write_rtl(pdf, f"{event.commune.name_ar}", family="arabic", size=13)
    pdf.ln(4)
    url = event_url(event)
    y = max(pdf.get_y(), 150)
    _draw_qr(pdf, (pdf.w - QR_SIDE) / 2, y, QR_SIDE, url)
    pdf.set_y(y + QR_SIDE + 4)
    pdf.set_font("latin", "", 10)
    pdf.cell(0, 6, url, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    write_rtl(pdf, SCAN_AR, family="arabic", size=13)
    write_ltr(pdf, SCAN_ZGH, family="tifinagh", size=11)
    write_ltr(pdf, SCAN_FR, size=11)
    pdf.ln(2)
    write_rtl(pdf, BRING_AR, family="arabic", size=11)
    write_ltr(pdf, BRING_FR, size=10)
    return pdf_bytes(pdf)
