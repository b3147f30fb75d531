"""The receipt of filing (hirfa.register.receipt): gathered in the reader's language, with
an audit entry; only the holder of the file, or staff whose scope holds it, get it.

The PDF module (fpdf) is imported by the functions that draw, not at start-up (ADR 0090)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core.errors import NotFound
from hirfa.register import links, policy, selectors
from hirfa.register.models import Dossier
from hirfa.register.numbers import dossier_reference

if TYPE_CHECKING:
    from hirfa.register.receipt import ReceiptData


def _applicant(dossier: Dossier, language: str) -> str:
    if language == "ar":
        return dossier.registrant_name_ar
    person = dossier.person
    if language == "zgh" and person is not None and person.first_name_zgh:
        return " ".join(n for n in (person.first_name_zgh, person.last_name_zgh) if n)
    return dossier.registrant_name_latin


def receipt_data(dossier: Dossier, language: str) -> ReceiptData:
    """The receipt's contents, in `language` (to be called with that language active)."""
    from hirfa.register.receipt import ReceiptData

    reference = dossier_reference(dossier.pk)
    filed = timezone.localtime(dossier.submitted_at)
    names = {r.code: r.name for r in selectors.required_documents(dossier.category)}
    return ReceiptData(
        language=language,
        register=_("National Register of Traditional Crafts"),
        title=_("Receipt of filing"),
        reference_label=_("Reference of the file"),
        reference=reference,
        facts=(
            (_("Filed on"), f"{filed:%d/%m/%Y %H:%M}"),
            (_("Kind of file"), str(dossier.get_kind_display())),
            (_("Applicant"), _applicant(dossier, language)),
            (_("Category"), str(dossier.get_category_display())),
            (_("Principal activity"), dossier.principal_activity.name),
            (_("Province"), dossier.province.name),
        ),
        documents_label=_("Documents filed"),
        documents=tuple(names.get(d.kind, d.kind) for d in dossier.documents.all()),
        no_documents=_("No document attached."),
        keep=_(
            "Keep this receipt: it proves that your file reached the register on this date. "
            "It is not a registration: you will receive your number once the file is approved."
        ),
        scan=_(
            "To follow your file, scan the code or open this address. A code sent by SMS to "
            "the file's phone is asked first."
        ),
        status_url=links.status_url(reference),
    )


def receipt_pdf(*, actor, dossier_pk, language: str) -> tuple[Dossier, bytes]:
    """The receipt of a file in `actor`'s reach (their own, or their territory's as staff):
    NotFound for any other file, and for a file never sent."""
    dossier = selectors.dossier_for(actor, dossier_pk)
    if not policy.receipt_available(dossier):
        raise NotFound()
    with translation.override(language):
        data = receipt_data(dossier, language)
    with transaction.atomic():
        record(
            actor=actor,
            action="dossier.receipt_issued",
            obj=dossier,
            province_code=dossier.province.code,
            data={"language": language},
        )
    from hirfa.register.receipt import render_receipt

    return dossier, render_receipt(data)
