"""Writes for Law 09-08 rights: each download of one's data audited, a correction of one's
identity filed as a modification (reviewed like any other), and the purge after the
retention period (`hirfa.privacy.purge`)."""

from django.db import transaction
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.privacy import policy, selectors
from hirfa.privacy.policy import CorrectionRoute
from hirfa.privacy.purge import purge_personal_data
from hirfa.register import selectors as register_selectors
from hirfa.register import services as register
from hirfa.register.models import Dossier, Registration
from hirfa.register.services.identity import person_diff

__all__ = ["export_personal_data", "purge_personal_data", "request_correction"]

EXPORT_FORMATS = ("json", "pdf", "api")


@transaction.atomic
def export_personal_data(*, actor, export_format: str) -> dict:
    """The artisan's data (`selectors.personal_data`), the download audited."""
    if not policy.may_see_own_data(actor):
        raise Forbidden()
    if export_format not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {export_format!r}")
    person = selectors.person_of(actor)
    data = selectors.personal_data(actor)
    record(
        actor=actor,
        action="privacy.exported",
        obj=person if person is not None else actor,
        data={"format": export_format},
    )
    return data


def _craft_of(registration: Registration) -> dict:
    """The registration's craft as a modification keeps it unchanged."""
    return {
        "category": registration.category,
        "principal_activity": registration.principal_activity.code,
        "secondary_activities": sorted(a.code for a in registration.secondary_activities.all()),
        "workplace_kind": registration.workplace_kind,
        "workplace_commune": registration.workplace_commune.code,
        "workplace_address": registration.workplace_address,
    }


ROUTE_REFUSALS = {
    CorrectionRoute.APPLICATION: lambda: _(
        "Your application is not decided yet: correct your details in the application itself."
    ),
    CorrectionRoute.WAIT: lambda: _(
        "A request of yours is with the register. Ask for a correction once it is decided."
    ),
    CorrectionRoute.NONE: lambda: _(
        "Your registration cannot be changed online. Ask your chamber of crafts for the correction."
    ),
}


@transaction.atomic
def request_correction(*, actor, person_data: dict) -> Dossier:
    """A registered artisan asks the register to correct their identity (Law 09-08, right of
    rectification). The change is proposed on a modification of their registration (the one
    being prepared, or a new one with the same craft) and applied only if an officer approves
    it. All or nothing: a refused correction leaves no file behind."""
    if not policy.may_see_own_data(actor):
        raise Forbidden()
    person = selectors.person_of(actor)
    if person is None:
        raise Conflict(ROUTE_REFUSALS[CorrectionRoute.NONE]())
    registration = register_selectors.current_registration_of(actor)
    dossier = register_selectors.current_dossier_of(actor)
    route = policy.correction_route(registration, dossier)
    if route in ROUTE_REFUSALS:
        raise Conflict(ROUTE_REFUSALS[route]())
    changes = person_diff(person, register.clean_person(person_data))
    if not changes:
        raise DomainError(
            _("This is what the register already holds. Change what is wrong, then send it."),
            code="unchanged",
        )
    if route == CorrectionRoute.MODIFICATION:
        dossier = register.request_modification(
            actor=actor, registration=registration, craft_data=_craft_of(registration)
        )
    dossier = register.update_dossier(actor=actor, dossier=dossier, person_data=person_data)
    record(
        actor=actor,
        action="privacy.correction_requested",
        obj=dossier,
        province_code=dossier.province.code,
        data={"fields": sorted(changes)},
    )
    return dossier
