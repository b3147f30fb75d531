"""Law 09-08 rules over the register: who may read their data, how a correction travels, and
when a person's data has been kept long enough. Plain answers; no query unless a docstring
says so."""

from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.utils import timezone

from hirfa.register import policy as register_policy
from hirfa.register.models import Dossier, Registration

# The CNIE of an anonymised person: a prefix no real CNIE (`^[A-Z]{1,2}[0-9]{5,7}$`) can
# have, followed by the person's id, so the column stays unique.
PURGED_CNIE_PREFIX = "X-"


def may_see_own_data(user) -> bool:
    """The artisan's own data: an artisan's account (staff see files through their desk)."""
    return register_policy.may_apply(user)


class CorrectionRoute(StrEnum):
    """Where a request to correct one's identity goes."""

    MODIFICATION = "modification"  # open a modification of the registration, reviewed
    OPEN_REQUEST = "open_request"  # add it to the modification or renewal being prepared
    APPLICATION = "application"  # a first application not decided: correct it there
    WAIT = "wait"  # a file is with the register: wait for its decision
    NONE = "none"  # nothing to correct through the register online


def correction_route(registration: Registration | None, dossier: Dossier | None) -> CorrectionRoute:
    """How the person's correction is made, given their latest registration and file."""
    if register_policy.is_open(dossier):
        if not register_policy.is_editable(dossier):
            return CorrectionRoute.WAIT
        if dossier.kind == Dossier.Kind.REGISTRATION:
            return CorrectionRoute.APPLICATION
        return CorrectionRoute.OPEN_REQUEST
    if register_policy.may_request_modification(registration, dossier):
        return CorrectionRoute.MODIFICATION
    return CorrectionRoute.NONE


def retention_days() -> int:
    return settings.PERSONAL_DATA_RETENTION_DAYS


def retention_cutoff(now: datetime | None = None) -> datetime:
    """Registrations struck off before this moment have been kept long enough."""
    return (now or timezone.now()) - timedelta(days=retention_days())


def purged_cnie(person_pk: int) -> str:
    """The placeholder CNIE of an anonymised person: unique, at most 9 characters (the
    column's length), never a real CNIE's shape (the hyphen)."""
    digits, number = "", person_pk
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    while True:
        number, rest = divmod(number, 36)
        digits = alphabet[rest] + digits
        if not number:
            break
    return f"{PURGED_CNIE_PREFIX}{digits}"


def is_purged(person) -> bool:
    return person.cnie.startswith(PURGED_CNIE_PREFIX)
