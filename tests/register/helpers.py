"""Helpers shared by the register's tests: the artisan who applies from her phone, and the
staff (chamber agents, provincial officers) who file and decide."""

import io
import re
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hirfa.accounts.models import User
from hirfa.crafts.models import Activity
from hirfa.notifications.models import Notification
from hirfa.register import services
from hirfa.register.models import Dossier
from hirfa.territory.models import Commune
from tests.factories import (
    AGADIR_CITY,
    TIZNIT_CITY,
    artisan_account,
    attach_required_documents,
    complete_dossier,
    craft_data,
    officer_of,
    pdf_upload,
    person_data,
    png_upload,
)

__all__ = ["AGADIR_CITY", "TIZNIT_CITY"]

# --- The artisan who applies herself ------------------------------------------------------

PASSWORD = "tapis-de-tiznit-2026"
PHONE = "+212612345678"
PHONE_AS_TYPED = "06 12 34 56 78"
TIZNIT = "09.581"
ARABIC_PAGE = b'lang="ar" dir="rtl"'


def commune_code(province: str = TIZNIT) -> str:
    return Commune.objects.filter(province__code=province).order_by("code").first().code


def activity_code(index: int = 0) -> str:
    return Activity.objects.filter(is_active=True).order_by("position", "code")[index].code


def applicant_person_data(**overrides) -> dict:
    """`factories.person_data` as Fatima types it on her phone."""
    return person_data(
        **{
            "first_name_ar": "فاطمة",
            "last_name_ar": "آيت لحسن",
            "first_name_latin": "Fatima",
            "birth_date": "1985-04-12",
            "address": "Derb Lalla Zahra 12",
            "commune": commune_code(),
            "phone": PHONE_AS_TYPED,
        }
        | overrides
    )


def applicant_craft_data(**overrides) -> dict:
    """`factories.craft_data` as Fatima chooses it: one craft, a workshop in the souk."""
    return craft_data(
        **{
            "principal_activity": activity_code(),
            "secondary_activities": [],
            "workplace_commune": commune_code(),
            "workplace_address": "Souk Tiznit, boutique 4",
        }
        | overrides
    )


def craft_post(**overrides) -> dict:
    """Step 2 as the browser sends it (the three "other craft" selects left empty)."""
    return applicant_craft_data(**overrides) | {"secondary_activities": ["", "", ""]}


def png_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (8, 8), (11, 107, 83)).save(output, format="PNG")
    return output.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def upload(client, kind, name, content):
    """A document sent from the artisan's documents step."""
    return client.post(
        "/me/apply/documents/", {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def last_code(phone: str = PHONE) -> str:
    """The one-time code of the last SMS sent to `phone`, read from its Notification row."""
    body = (
        Notification.objects.filter(address=phone, event="account.phone_code")
        .order_by("-id")
        .first()
        .body
    )
    return re.search(r"\b(\d{6})\b", body).group(1)


def logged_in_artisan(client, phone: str = PHONE) -> User:
    user = artisan_account(phone)
    client.force_login(user)
    return user


def draft_of(user, **person_overrides):
    return services.start_dossier(
        applicant=user,
        person_data=applicant_person_data(**person_overrides),
        craft_data=applicant_craft_data(),
    )


def _photo_as_png_others_as_pdf(index, requirement):
    if requirement.code == "photo":
        return png_upload(f"{requirement.code}.png")
    return SimpleUploadedFile(f"{requirement.code}.pdf", pdf_bytes())


def attach_all(user, dossier) -> None:
    attach_required_documents(user, dossier, upload=_photo_as_png_others_as_pdf)


def submitted_dossier_of(user, **person_overrides):
    dossier = draft_of(user, **person_overrides)
    attach_all(user, dossier)
    return services.submit(actor=user, dossier=dossier)


def approved_registration_of(user):
    dossier = submitted_dossier_of(user)
    dossier = services.approve(officer=officer_of(TIZNIT), dossier=dossier)
    return dossier.registration


# --- The staff's screens -------------------------------------------------------------------


def filing_post(*, consent=True, person=None, craft=None) -> dict:
    """The assisted-filing page as the browser sends it."""
    data = person_data(**(person or {})) | craft_data(**(craft or {}))
    data["province"] = ["", ""]
    if consent:
        data["consent"] = "on"
    return data


def _first_as_pdf(index, requirement):
    return pdf_upload() if index == 0 else png_upload()


def filed(agent, *, cnie="JK123456", workplace=TIZNIT_CITY, phone="0612345678") -> Dossier:
    """A draft filed by an agent, every required document attached (PDF for the first)."""
    return complete_dossier(
        agent, craft={"workplace_commune": workplace}, upload=_first_as_pdf, cnie=cnie, phone=phone
    )


def submitted(agent, **kwargs) -> Dossier:
    return services.submit(actor=agent, dossier=filed(agent, **kwargs))


def backdate(dossier: Dossier, days: int) -> None:
    """Pretend the dossier was sent `days` ago."""
    Dossier.objects.filter(pk=dossier.pk).update(
        submitted_at=timezone.now() - timedelta(days=days, hours=1)
    )


def approved(agent, officer, **kwargs) -> Dossier:
    return services.approve(officer=officer, dossier=submitted(agent, **kwargs))
