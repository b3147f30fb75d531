"""Helpers shared by the staff-screen tests (this module holds no test of its own)."""

from datetime import timedelta

from django.utils import timezone

from hirfa.register import selectors, services
from hirfa.register.models import Dossier
from tests.factories import (
    AGADIR_CITY,
    TIZNIT_CITY,
    craft_data,
    pdf_upload,
    person_data,
    png_upload,
)

__all__ = ["AGADIR_CITY", "TIZNIT_CITY", "craft_data", "person_data"]


def in_english(settings, client) -> None:
    """Staff pages in English, easier to read in assertions."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def filing_post(*, consent=True, person=None, craft=None) -> dict:
    """The assisted-filing page as the browser sends it."""
    data = person_data(**(person or {})) | craft_data(**(craft or {}))
    data["province"] = ["", ""]
    if consent:
        data["consent"] = "on"
    return data


def filed(agent, *, cnie="JK123456", workplace=TIZNIT_CITY, phone="0612345678") -> Dossier:
    """A draft filed by an agent, every required document attached (PDF for the first)."""
    dossier = services.file_assisted(
        agent=agent,
        person_data=person_data(cnie=cnie, phone=phone),
        craft_data=craft_data(workplace_commune=workplace),
        consent=True,
    )
    for index, requirement in enumerate(selectors.required_documents(dossier.category)):
        upload = pdf_upload() if index == 0 else png_upload()
        services.attach_document(
            actor=agent, dossier=dossier, kind=requirement.code, uploaded=upload
        )
    return dossier


def submitted(agent, **kwargs) -> Dossier:
    return services.submit(actor=agent, dossier=filed(agent, **kwargs))


def backdate(dossier: Dossier, days: int) -> None:
    """Pretend the dossier was sent `days` ago."""
    Dossier.objects.filter(pk=dossier.pk).update(
        submitted_at=timezone.now() - timedelta(days=days, hours=1)
    )


def approved(agent, officer, **kwargs) -> Dossier:
    return services.approve(officer=officer, dossier=submitted(agent, **kwargs))
