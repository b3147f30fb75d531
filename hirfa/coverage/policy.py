"""Every "may / can / is due" rule of the health coverage, in one place.

Services ask it to refuse; views, templates and the API ask it to show or hide. Nothing
here writes or reads beyond the objects it is given (and the user's territory).
"""

from dataclasses import dataclass
from datetime import date

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import provinces_for, scope_of
from hirfa.coverage.models import Dependant, Enrolment, State
from hirfa.register.models import Registration

# Dependants covered through the insured: ended with the enrolment, or past their age limit.
LIVE_DEPENDANT_STATES = (
    Dependant.State.DECLARED,
    Dependant.State.CONFIRMED,
    Dependant.State.ACCEPTED,
)


# --- Who --------------------------------------------------------------------------------------


def holds_own_file(user) -> bool:
    """An artisan, who follows their own coverage (not staff acting for others)."""
    return has_capability(user, Capability.HOLD_OWN_FILE)


def is_agent_for(user, registration: Registration) -> bool:
    """A chamber agent of the artisan's territory, who files and checks for them."""
    return (
        has_capability(user, Capability.FILE_ASSISTED)
        and provinces_for(user).filter(pk=registration.province_id).exists()
    )


def may_act_for(user, registration: Registration) -> bool:
    """The artisan themselves, or an agent of their territory."""
    person = registration.person
    if person is not None and person.user_id and person.user_id == user.pk:
        return True
    return is_agent_for(user, registration)


def may_open_coverage(user) -> bool:
    """Open an artisan's coverage page as staff: whoever may act on it — the agents (who
    declare, close, send again), the officers (who decide the corrections of the register
    that send an artisan again) and the CNSS liaison (who follows the CNSS's rejections).
    Which artisans: the selectors' territory, unchanged."""
    return any(
        has_capability(user, capability)
        for capability in (Capability.FILE_ASSISTED, Capability.REVIEW, Capability.EXCHANGE_CNSS)
    )


def may_see_documents(user) -> bool:
    """Whose documents a dependant's file may show (scope is the selectors')."""
    return holds_own_file(user) or has_capability(user, Capability.FILE_ASSISTED)


def may_edit_schedule(user) -> bool:
    """The contribution schedule: national administrators only."""
    return has_capability(user, Capability.MANAGE_NOMENCLATURE) and scope_of(user).national


# --- The enrolment ----------------------------------------------------------------------------


def is_closed(enrolment: Enrolment | None) -> bool:
    return enrolment is not None and enrolment.state == State.CLOSED


def takes_dependants(registration: Registration | None) -> bool:
    """Dependants are declared for a registered artisan (a person, not struck off)."""
    return (
        registration is not None
        and registration.person_id is not None
        and registration.status != Registration.Status.STRUCK_OFF
    )


def may_declare(user, registration: Registration | None, enrolment: Enrolment | None) -> bool:
    return (
        takes_dependants(registration)
        and not is_closed(enrolment)
        and may_act_for(user, registration)
    )


def may_close(user, registration: Registration, enrolment: Enrolment | None) -> bool:
    """An agent closes the coverage (death, another scheme) unless it is closed already."""
    return is_agent_for(user, registration) and not is_closed(enrolment)


def awaits_sending_again(enrolment: Enrolment | None) -> bool:
    """Rejected by the CNSS and not yet put back in the queue."""
    return (
        enrolment is not None
        and enrolment.state == State.NOT_ENROLLED
        and enrolment.rejected_at is not None
    )


def may_send_again(user, registration: Registration, enrolment: Enrolment | None) -> bool:
    return is_agent_for(user, registration) and awaits_sending_again(enrolment)


# --- Dependants -------------------------------------------------------------------------------


def awaits_check(dependant: Dependant) -> bool:
    """Declared and not yet checked by an agent: documents may still be attached."""
    return dependant.state == Dependant.State.DECLARED


def may_attach(user, dependant: Dependant) -> bool:
    return awaits_check(dependant) and may_act_for(user, dependant.registration)


def may_check(user, dependant: Dependant) -> bool:
    """Confirm or refuse: an agent of the dependant's territory, while it awaits a check."""
    return awaits_check(dependant) and is_agent_for(user, dependant.registration)


def end_of_eligibility_due(dependant: Dependant, today: date) -> bool:
    """Past the date their cover was judged to end: the daily pass looks at them again."""
    return (
        dependant.state in LIVE_DEPENDANT_STATES
        and dependant.eligible_until is not None
        and dependant.eligible_until < today
    )


# --- For templates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverageActions:
    """What the user may do on an artisan's coverage page, answered by the rules above."""

    declare: bool = False
    close: bool = False
    send_again: bool = False

    @classmethod
    def of(cls, user, registration: Registration | None, enrolment: Enrolment | None):
        if registration is None:
            return cls()
        return cls(
            declare=may_declare(user, registration, enrolment),
            close=may_close(user, registration, enrolment),
            send_again=may_send_again(user, registration, enrolment),
        )


@dataclass(frozen=True)
class DependantActions:
    attach: bool = False
    check: bool = False

    @classmethod
    def of(cls, user, dependant: Dependant):
        return cls(attach=may_attach(user, dependant), check=may_check(user, dependant))
