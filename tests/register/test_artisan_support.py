"""Helpers shared by the artisan tests (this module holds no test of its own)."""

import io
import re

from PIL import Image

from hirfa.accounts.models import User
from hirfa.accounts.roles import Role
from hirfa.crafts.models import Activity
from hirfa.notifications.models import Notification
from hirfa.register import services
from hirfa.territory.models import Commune
from tests.factories import UserFactory, agent_of, officer_of

PASSWORD = "tapis-de-tiznit-2026"
PHONE = "+212612345678"
PHONE_AS_TYPED = "06 12 34 56 78"
TIZNIT = "09.581"
ARABIC_PAGE = b'lang="ar" dir="rtl"'


def commune_code(province: str = TIZNIT) -> str:
    return Commune.objects.filter(province__code=province).order_by("code").first().code


def activity_code(index: int = 0) -> str:
    return Activity.objects.filter(is_active=True).order_by("position", "code")[index].code


def person_data(**overrides) -> dict:
    return {
        "cnie": "JK123456",
        "first_name_ar": "فاطمة",
        "last_name_ar": "آيت لحسن",
        "first_name_latin": "Fatima",
        "last_name_latin": "Ait Lahcen",
        "sex": "F",
        "birth_date": "1985-04-12",
        "birth_place": "Tiznit",
        "address": "Derb Lalla Zahra 12",
        "commune": commune_code(),
        "phone": PHONE_AS_TYPED,
        "email": "",
        "education": "primary",
    } | overrides


def craft_data(**overrides) -> dict:
    return {
        "category": "artisan_experience",
        "principal_activity": activity_code(),
        "workplace_kind": "workshop",
        "workplace_commune": commune_code(),
        "workplace_address": "Souk Tiznit, boutique 4",
    } | overrides


def craft_post(**overrides) -> dict:
    """Step 2 as the browser sends it (the three "other craft" selects left empty)."""
    return craft_data(**overrides) | {"secondary_activities": ["", "", ""]}


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


def last_code(phone: str = PHONE) -> str:
    """The one-time code of the last SMS sent to `phone`, read from its Notification row."""
    body = (
        Notification.objects.filter(address=phone, event="account.phone_code")
        .order_by("-id")
        .first()
        .body
    )
    return re.search(r"\b(\d{6})\b", body).group(1)


def artisan(phone: str = PHONE, **kwargs) -> User:
    return UserFactory(role=Role.ARTISAN, username=phone, phone=phone, **kwargs)


def logged_in_artisan(client, phone: str = PHONE) -> User:
    user = artisan(phone)
    client.force_login(user)
    return user


def draft_of(user, **person_overrides):
    return services.start_dossier(
        applicant=user, person_data=person_data(**person_overrides), craft_data=craft_data()
    )


def attach_all(user, dossier) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hirfa.register import selectors
    from tests.factories import png_upload

    for requirement in selectors.required_documents(dossier.category):
        services.attach_document(
            actor=user,
            dossier=dossier,
            kind=requirement.code,
            uploaded=png_upload(f"{requirement.code}.png")
            if requirement.code == "photo"
            else SimpleUploadedFile(f"{requirement.code}.pdf", pdf_bytes()),
        )


def submitted_dossier_of(user, **person_overrides):
    dossier = draft_of(user, **person_overrides)
    attach_all(user, dossier)
    return services.submit(actor=user, dossier=dossier)


def officer():
    return officer_of(TIZNIT)


def agent():
    return agent_of("09")


def approved_registration_of(user):
    dossier = submitted_dossier_of(user)
    dossier = services.approve(officer=officer(), dossier=dossier)
    return dossier.registration
