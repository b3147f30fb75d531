"""Who may do what in the register, and what is due: the one home of each rule.

Services call these to refuse (and raise); views, templates and the API call them to show or
hide. Each answer is a plain boolean computed from the objects given: no query is made here
except where a docstring says so.
"""

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from hirfa.accounts.roles import Capability, has_capability
from hirfa.register.models import Dossier, Registration
from hirfa.register.rules import (
    DECIDABLE_STATES,
    EDITABLE_STATES,
    OPEN_STATES,
    REGISTRATION_TRANSITIONS,
    TRANSITIONS,
)

# --- Dossiers -----------------------------------------------------------------------------


def is_applicant(user, dossier: Dossier) -> bool:
    """The artisan whose own file this is."""
    person = dossier.person
    return bool(person and person.user_id and person.user_id == getattr(user, "pk", None))


def is_filer(user, dossier: Dossier) -> bool:
    """The chamber agent who filed this file for someone."""
    return dossier.filed_by_id is not None and dossier.filed_by_id == getattr(user, "pk", None)


def may_edit(user, dossier: Dossier) -> bool:
    """Whoever may change the file and send it: its applicant, or the agent who filed it
    (whatever its state: `is_editable` says whether it can change now)."""
    if is_applicant(user, dossier):
        return True
    return is_filer(user, dossier) and has_capability(user, Capability.FILE_ASSISTED)


def is_editable(dossier: Dossier) -> bool:
    """A draft, or a file whose reviewer asked for changes."""
    return dossier.state in EDITABLE_STATES


def may_change_now(user, dossier: Dossier) -> bool:
    return may_edit(user, dossier) and is_editable(dossier)


def identity_waits_for_approval(dossier: Dossier) -> bool:
    """A registered person's identity changes only when an officer approves the change: a
    modification or a renewal proposes it; a first application writes it (it is reviewed
    whole before anyone is registered)."""
    return dossier.kind != Dossier.Kind.REGISTRATION


def is_open(dossier: Dossier | None) -> bool:
    return dossier is not None and dossier.state in OPEN_STATES


def may_correct_at_desk(user, dossier: Dossier) -> bool:
    """The agent who filed a person's first application corrects its data and craft on the
    desk's form while it can change (documents are changed on the file's page)."""
    return (
        may_change_now(user, dossier)
        and dossier.person_id is not None
        and dossier.kind == Dossier.Kind.REGISTRATION
    )


def is_with_reviewer(dossier: Dossier) -> bool:
    """Sent and not yet decided: the provincial officer has it."""
    return dossier.state in DECIDABLE_STATES


def may_review(user) -> bool:
    return has_capability(user, Capability.REVIEW)


def filed_or_assisted(user, dossier: Dossier) -> bool:
    """Four-eyes rule: whoever filed or assisted a file never decides it."""
    return is_filer(user, dossier) or is_applicant(user, dossier)


def may_start_review(user, dossier: Dossier) -> bool:
    return (
        may_review(user)
        and not filed_or_assisted(user, dossier)
        and dossier.state in TRANSITIONS["start_review"][0]
    )


def may_decide(user, dossier: Dossier) -> bool:
    return (
        may_review(user)
        and not filed_or_assisted(user, dossier)
        and dossier.state in DECIDABLE_STATES
    )


def may_move(dossier: Dossier, action: str) -> bool:
    """The dossier's state allows the transition `action` (`rules.TRANSITIONS`)."""
    return dossier.state in TRANSITIONS[action][0]


# --- An artisan's own file ----------------------------------------------------------------


def may_apply(user) -> bool:
    """An account that applies for itself (an artisan's, not staff)."""
    return has_capability(user, Capability.HOLD_OWN_FILE)


def may_start(dossier: Dossier | None, registration: Registration | None) -> bool:
    """A (new) first application may begin: no open file, no live registration."""
    if is_open(dossier):
        return False
    return registration is None or registration.status == Registration.Status.STRUCK_OFF


def may_request_modification(
    registration: Registration | None, dossier: Dossier | None = None
) -> bool:
    """An active registration, with no other file of the person open."""
    return (
        registration is not None
        and registration.status == Registration.Status.ACTIVE
        and not is_open(dossier)
    )


def may_renew(registration: Registration | None) -> bool:
    """An active or expired registration may be renewed."""
    return registration is not None and registration.status in REGISTRATION_TRANSITIONS["renew"][0]


def renewal_horizon(today: date | None = None) -> date:
    """Registrations valid until this day (or before) are due for renewal."""
    return (today or timezone.localdate()) + timedelta(days=settings.RENEWAL_REMINDER_DAYS)


def renewal_due(registration: Registration | None, today: date | None = None) -> bool:
    """Expired, or active and ending within the reminder period."""
    if registration is None:
        return False
    if registration.status == Registration.Status.EXPIRED:
        return True
    return (
        registration.status == Registration.Status.ACTIVE
        and registration.valid_until <= renewal_horizon(today)
    )


def receipt_available(dossier: Dossier | None) -> bool:
    """A receipt of filing proves a file was sent: any file once submitted, whatever came
    of it since; never a draft that was never sent."""
    return dossier is not None and dossier.submitted_at is not None


def attestation_available(registration: Registration | None) -> bool:
    """An attestation is issued only for an active registration."""
    return registration is not None and registration.status == Registration.Status.ACTIVE


# --- Registrations ------------------------------------------------------------------------


def may_manage_registrations(user) -> bool:
    """Suspend, reinstate, strike off: the provincial officers."""
    return has_capability(user, Capability.REVIEW)


def may_move_registration(registration: Registration, action: str) -> bool:
    """The registration's status allows `action` (`rules.REGISTRATION_TRANSITIONS`)."""
    return registration.status in REGISTRATION_TRANSITIONS[action][0]


def registration_actions(user, registration: Registration) -> dict[str, bool]:
    """What the registration page offers this user: {action: allowed}."""
    manage = may_manage_registrations(user)
    return {
        action: manage and may_move_registration(registration, action)
        for action in ("suspend", "reinstate", "strike_off")
    }


def may_file_for(user, registration: Registration) -> bool:
    """An agent may file a change or a renewal for a registration not struck off."""
    return (
        has_capability(user, Capability.FILE_ASSISTED)
        and registration.status != Registration.Status.STRUCK_OFF
    )


def may_remove_document(dossier: Dossier) -> bool:
    """A document attached by mistake may be removed (or replaced) until the file is sent;
    after that, what the officer saw stays in the file."""
    return dossier.state == Dossier.State.DRAFT
