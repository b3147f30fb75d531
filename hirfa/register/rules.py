"""The register's decision vocabulary: states, who moves a dossier where, and why."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hirfa.register.models import Dossier, Registration

S = Dossier.State
R = Registration.Status

OPEN_STATES = frozenset({S.DRAFT, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED, S.RESUBMITTED})
# States in which the applicant (or the agent who filed) may still edit the file.
EDITABLE_STATES = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
# States in which a reviewer may decide.
DECIDABLE_STATES = frozenset({S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED})

TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    # action: (from states, to state)
    "submit": (frozenset({S.DRAFT}), S.SUBMITTED),
    "start_review": (frozenset({S.SUBMITTED, S.RESUBMITTED}), S.IN_REVIEW),
    "request_changes": (DECIDABLE_STATES, S.CHANGES_REQUESTED),
    "resubmit": (frozenset({S.CHANGES_REQUESTED}), S.RESUBMITTED),
    "approve": (DECIDABLE_STATES, S.APPROVED),
    "reject": (DECIDABLE_STATES, S.REJECTED),
    "withdraw": (OPEN_STATES, S.WITHDRAWN),
}

# The lifecycle of a registration: action → (from statuses, to status).
REGISTRATION_TRANSITIONS: dict[str, tuple[frozenset, str]] = {
    "suspend": (frozenset({R.ACTIVE}), R.SUSPENDED),
    "reinstate": (frozenset({R.SUSPENDED}), R.ACTIVE),
    "strike_off": (frozenset({R.ACTIVE, R.SUSPENDED, R.EXPIRED}), R.STRUCK_OFF),
    "expire": (frozenset({R.ACTIVE}), R.EXPIRED),
    "renew": (frozenset({R.ACTIVE, R.EXPIRED}), R.ACTIVE),
}


class RejectionReason(models.TextChoices):
    INCOMPLETE = "incomplete", _("Documents missing or unreadable")
    NOT_ELIGIBLE = "not_eligible", _("The conditions of the category are not met")
    NOT_A_CRAFT = "not_a_craft", _("The activity is not a craft of the nomenclature")
    FALSE_INFORMATION = "false_information", _("False or inconsistent information")
    DUPLICATE = "duplicate", _("The person is already registered")
    OTHER = "other", _("Other reason (see the note)")
