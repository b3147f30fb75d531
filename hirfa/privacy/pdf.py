"""The artisan's data as a readable PDF, in Arabic and French (`selectors.personal_data`).

Like the attestation, the document is bilingual whatever language the site is read in: its
headings are constants here, each in Arabic (right-aligned) and French (left-aligned). Values
are printed as the register holds them, each in the direction and font of its script.
"""

from __future__ import annotations

import json
import re

from fpdf import FPDF
from fpdf.enums import Align

from hirfa.core.pdf import (
    base_direction,
    new_document,
    pdf_bytes,
    write_ltr,
    write_paragraph,
    write_rtl,
)

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

# The JSON keys as the PDF names them: (French, Arabic).
LABELS = {
    "username": ("Identifiant", "اسم المستخدم"),
    "first_name": ("Prénom", "الاسم الشخصي"),
    "last_name": ("Nom", "الاسم العائلي"),
    "email": ("E-mail", "البريد الإلكتروني"),
    "phone": ("Téléphone", "الهاتف"),
    "date_joined": ("Compte créé le", "تاريخ إنشاء الحساب"),
    "last_login": ("Dernière connexion", "آخر دخول"),
    "cnie": ("CNIE", "رقم البطاقة الوطنية"),
    "first_name_ar": ("Prénom (arabe)", "الاسم الشخصي بالعربية"),
    "last_name_ar": ("Nom (arabe)", "الاسم العائلي بالعربية"),
    "first_name_latin": ("Prénom (latin)", "الاسم الشخصي بالحروف اللاتينية"),
    "last_name_latin": ("Nom (latin)", "الاسم العائلي بالحروف اللاتينية"),
    "first_name_zgh": ("Prénom (tifinagh)", "الاسم الشخصي بتيفيناغ"),
    "last_name_zgh": ("Nom (tifinagh)", "الاسم العائلي بتيفيناغ"),
    "sex": ("Sexe", "الجنس"),
    "birth_date": ("Date de naissance", "تاريخ الازدياد"),
    "birth_place": ("Lieu de naissance", "مكان الازدياد"),
    "nationality": ("Nationalité", "الجنسية"),
    "address": ("Adresse", "العنوان"),
    "commune": ("Commune", "الجماعة"),
    "education": ("Instruction", "المستوى الدراسي"),
    "photo": ("Photo", "الصورة"),
    "number": ("N° d'inscription", "رقم التسجيل"),
    "registration": ("Inscription", "التسجيل"),
    "status": ("Statut", "الوضعية"),
    "state": ("État", "الحالة"),
    "kind": ("Nature", "النوع"),
    "category": ("Catégorie", "الفئة"),
    "principal_activity": ("Activité principale", "النشاط الرئيسي"),
    "secondary_activities": ("Activités secondaires", "الأنشطة الثانوية"),
    "workplace_kind": ("Lieu de travail", "مكان العمل"),
    "workplace_address": ("Adresse du lieu de travail", "عنوان مكان العمل"),
    "workplace_commune": ("Commune du lieu de travail", "جماعة مكان العمل"),
    "province": ("Province", "الإقليم"),
    "registered_on": ("Inscrit le", "تاريخ التسجيل"),
    "valid_until": ("Valable jusqu'au", "صالح إلى غاية"),
    "created_at": ("Créé le", "تاريخ الإنشاء"),
    "updated_at": ("Modifié le", "تاريخ التعديل"),
    "submitted_at": ("Envoyé le", "تاريخ الإرسال"),
    "decided_at": ("Décidé le", "تاريخ القرار"),
    "messages": ("Messages", "الرسائل"),
    "documents": ("Documents", "الوثائق"),
    "dependants": ("Ayants droit", "ذوو الحقوق"),
    "payments": ("Paiements", "الأداءات"),
    "name": ("Nom du fichier", "اسم الملف"),
    "size": ("Taille (octets)", "الحجم (بايت)"),
    "body": ("Texte", "النص"),
    "at": ("Date", "التاريخ"),
    "by": ("Par", "من طرف"),
    "action": ("Action", "العملية"),
    "reason": ("Motif", "السبب"),
    "cnss_number": ("N° CNSS", "رقم الضمان الاجتماعي"),
    "period": ("Mois", "الشهر"),
    "amount": ("Montant (MAD)", "المبلغ (درهم)"),
    "channel": ("Canal", "القناة"),
    "issued_at": ("Délivrée le", "تاريخ التسليم"),
    "expires_at": ("Expire le", "تاريخ الانتهاء"),
    "id": ("Référence", "المرجع"),
    "status_reason": ("Motif du statut", "سبب الوضعية"),
    "suspended_until": ("Suspendu jusqu'au", "موقوف إلى غاية"),
    "content_type": ("Type de fichier", "نوع الملف"),
    "sha256": ("Empreinte SHA-256", "البصمة SHA-256"),
    "uploaded_at": ("Déposé le", "تاريخ الإيداع"),
    "url": ("Lien", "الرابط"),
    "assisted": ("Déposé par un agent", "أودع بمساعدة عون"),
    "consent_at": ("Consentement le", "تاريخ الموافقة"),
    "rejection_reason": ("Motif du rejet", "سبب الرفض"),
    "decision_note": ("Note de décision", "ملاحظة القرار"),
    "person_changes": ("Changements d'identité proposés", "تغييرات الهوية المقترحة"),
    "from": ("De", "من"),
    "version": ("Version", "النسخة"),
    "issue_reason": ("Motif de délivrance", "سبب الإصدار"),
    "revoked_at": ("Révoquée le", "تاريخ الإلغاء"),
    "revocation_reason": ("Motif de révocation", "سبب الإلغاء"),
    "print_state": ("Impression", "الطباعة"),
    "printed_at": ("Imprimée le", "تاريخ الطباعة"),
    "handed_over_at": ("Remise le", "تاريخ التسليم"),
    "received_by": ("Reçue par", "تسلمها"),
    "state_since": ("Dans cet état depuis", "في هذه الحالة منذ"),
    "sent_on": ("Envoyé à la CNSS le", "تاريخ الإرسال إلى الصندوق"),
    "immatriculated_on": ("Immatriculé le", "تاريخ التسجيل في الصندوق"),
    "dues_from": ("Cotisations dues depuis", "الاشتراكات مستحقة منذ"),
    "rights_open_on": ("Droits ouverts le", "تاريخ فتح الحقوق"),
    "suspended_on": ("Suspendu le", "تاريخ التوقيف"),
    "closed_on": ("Clôturé le", "تاريخ الإغلاق"),
    "closing_reason": ("Motif de clôture", "سبب الإغلاق"),
    "arrears": ("Arriérés (MAD)", "المتأخرات (درهم)"),
    "unpaid_months": ("Mois impayés", "الأشهر غير المؤداة"),
    "relation": ("Lien de parenté", "صلة القرابة"),
    "student": ("Étudiant", "طالب"),
    "married": ("Marié", "متزوج"),
    "disabled": ("En situation de handicap", "في وضعية إعاقة"),
    "eligible_until": ("Ayant droit jusqu'au", "ذو حق إلى غاية"),
    "decision_reason": ("Motif", "السبب"),
    "paid_on": ("Payé le", "تاريخ الأداء"),
    "reference": ("Référence", "المرجع"),
    "subject": ("Objet", "الموضوع"),
    "event": ("Événement", "الحدث"),
    "sent_at": ("Envoyé le", "تاريخ الإرسال"),
    "object": ("Objet concerné", "المعني"),
    "data": ("Détails", "التفاصيل"),
}
ROW = 5  # height of a line, mm
LABEL_WIDTH = 42

_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\x00-\x09\x0b-\x1f\x7f]")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_TIFINAGH = re.compile("[\u2d30-\u2d7f]")
_MAX_VALUE = 600  # characters of one value printed (the JSON download has them whole)


_ISO_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})[0-9:.]*([+-]\d{2}:\d{2}|Z)?$")
PURPOSE_AR = (
    "الغاية: السجل الوطني للصناعة التقليدية (القانون 50-17)، البطاقة المهنية، والتأمين الإجباري "
    "الأساسي عن المرض لدى الصندوق الوطني للضمان الاجتماعي."
)
PURPOSE_FR = (
    "Finalité : le Registre National de l'Artisanat (loi 50-17), la carte professionnelle et "
    "l'assurance maladie obligatoire (AMO) auprès de la CNSS."
)
RETENTION_AR = "مدة الحفظ بعد التشطيب: {days} يوم (قابلة للتعديل)."
RETENTION_FR = "Durée de conservation après radiation : {days} jours (paramétrable)."


def _named(value: dict) -> str:
    """A place or a craft: its Arabic and French names and its code."""
    return f"{value['name_ar']} / {value['name_fr']} ({value['code']})"


def _clean(value) -> str:
    if isinstance(value, dict) and set(value) == {"code", "name_ar", "name_fr"}:
        value = _named(value)
    elif (
        isinstance(value, list)
        and value
        and all(isinstance(v, dict) and set(v) == {"code", "name_ar", "name_fr"} for v in value)
    ):
        value = " ؛ ".join(_named(v) for v in value)
    elif isinstance(value, str) and (match := _ISO_DATETIME.match(value)):
        value = f"{match.group(1)} {match.group(2)}"
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
    """One field: its French name on the left, its Arabic name on the right, the value
    between them (or under them, whole, when it is longer than the space)."""
    text = _clean(value) or "—"
    french, arabic = LABELS.get(key, (key, ""))
    family, direction = _family(text)
    if pdf.get_y() + ROW > pdf.page_break_trigger:
        pdf.add_page()
    left, y = pdf.l_margin, pdf.get_y()
    value_width = pdf.w - pdf.r_margin - left - 2 * LABEL_WIDTH
    pdf.set_font("latin", "", 7.5)
    pdf.set_text_color(90, 90, 90)
    pdf.set_xy(left, y)
    pdf.cell(LABEL_WIDTH, ROW, french, align=Align.L)
    if arabic:
        with base_direction(pdf, "rtl"):
            pdf.set_font("arabic", "", 7.5)
            pdf.set_xy(left + LABEL_WIDTH + value_width, y)
            pdf.cell(LABEL_WIDTH, ROW, arabic, align=Align.R)
    pdf.set_text_color(20, 20, 20)
    pdf.set_font(family, "", 9)
    if pdf.get_string_width(text) <= value_width - 2 * pdf.c_margin:
        with base_direction(pdf, direction):
            pdf.set_xy(left + LABEL_WIDTH, y)
            align = Align.R if direction == "rtl" else Align.L
            pdf.cell(value_width, ROW, text, align=align)
        pdf.set_xy(left, y + ROW)
        return
    pdf.set_xy(left, y + ROW)
    write_paragraph(pdf, text, direction=direction, family=family, size=9)


def _record(pdf: FPDF, record: dict, skip: tuple[str, ...] = ()) -> None:
    for key, value in record.items():
        if key in skip:
            continue
        if (
            isinstance(value, list)
            and value
            and isinstance(value[0], dict)
            and set(value[0]) != {"code", "name_ar", "name_fr"}
        ):
            write_ltr(pdf, f"{LABELS.get(key, (key, ''))[0]}:", style="B", size=9)
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
    write_rtl(pdf, PURPOSE_AR, family="arabic", size=8)
    write_ltr(pdf, PURPOSE_FR, size=8)
    days = data["retention_days_after_striking_off"]
    write_rtl(pdf, RETENTION_AR.format(days=days), family="arabic", size=8)
    write_ltr(pdf, RETENTION_FR.format(days=days), size=8)
    write_ltr(pdf, f"{GENERATED[1]} : {_clean(data['generated_at'])}", size=8)
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
