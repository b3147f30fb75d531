"""Pieces shared by the coverage services: locking an enrolment, moving its state with
its audit entry and the artisan's notification, closing it.
"""

from collections.abc import Iterable
from datetime import date
from itertools import islice

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hirfa.audit.services import record
from hirfa.core.errors import Conflict, DomainError, NotFound
from hirfa.core.signals import rows_written
from hirfa.coverage import policy
from hirfa.coverage.models import Dependant, Enrolment, State
from hirfa.notifications.formatting import Formatted
from hirfa.notifications.services import notify
from hirfa.register.models import NATURAL_PERSON_CATEGORIES, Registration

CHUNK = 1000


def _chunks(iterable: Iterable, size: int = CHUNK):
    iterator = iter(iterable)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _audit(
    enrolment_or_obj, *, action, source, actor=None, province_code=None, reason="", data=None
):
    return record(
        actor=actor,
        actor_label=None if actor is not None else source,
        action=action,
        obj=enrolment_or_obj,
        province_code=province_code,
        reason=reason,
        data={"source": source, **(data or {})},
    )


def _enrolment(number, *, create: bool = False) -> Enrolment:
    """The enrolment of the registration `number`, locked; DomainError if unknown."""
    number = str(number or "").strip()
    try:
        # get(), not first(): no ORDER BY on the importer's hottest query.
        return (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("registration__province", "registration__person__user")
            .get(registration__number=number)
        )
    except Enrolment.DoesNotExist:
        pass
    registration = _artisans().filter(number=number).first()
    if registration is None or not create:
        raise _not_enrolled_error(number, registered=registration is not None)
    Enrolment.objects.create(
        registration=registration, state=State.NOT_ENROLLED, state_since=timezone.localdate()
    )
    return _enrolment(number)


def _artisans():
    return Registration.objects.filter(person__isnull=False, category__in=NATURAL_PERSON_CATEGORIES)


def _not_enrolled_error(number: str, *, registered: bool) -> DomainError:
    """Why a number has no enrolment: no such artisan, or one never sent."""
    if not registered:
        return NotFound(
            _("No registered artisan has the number %(number)s.") % {"number": number[:20]},
            code="unknown_artisan",
        )
    return Conflict(
        _("The artisan %(number)s was never sent to the CNSS.") % {"number": number},
        code="never_sent",
    )


def _province(enrolment: Enrolment) -> str:
    return enrolment.registration.province.code


def _move(
    enrolment: Enrolment,
    state: str,
    *,
    on: date,
    source: str,
    actor=None,
    reason="",
    fields=(),
    data=None,
    opening: date | None = None,
) -> Enrolment:
    previous = enrolment.state
    enrolment.state, enrolment.state_since = state, on
    enrolment.save(update_fields=["state", "state_since", "updated_at", *fields])
    _audit(
        enrolment,
        action=f"enrolment.{state}",
        source=source,
        actor=actor,
        province_code=_province(enrolment),
        reason=reason,
        data={"from": previous, "to": state, "on": on, **(data or {})},
    )
    _tell_artisan(enrolment, opening)
    return enrolment


MESSAGES = {
    State.NOT_ENROLLED: gettext_lazy(
        "The CNSS could not register you for health insurance. Open your space to see why."
    ),
    State.IMMATRICULATED: gettext_lazy(
        "You are registered with the CNSS under number %(cnss)s. Pay your contributions: "
        "your health insurance opens on %(date)s."
    ),
    State.RIGHTS_OPEN: gettext_lazy("Your health insurance is open from %(date)s."),
    State.SUSPENDED: gettext_lazy(
        "Your health insurance is suspended: contributions are unpaid. Pay them to reopen it."
    ),
    State.CLOSED: gettext_lazy("Your health insurance through the register is closed."),
}


def _tell_artisan(enrolment: Enrolment, opening: date | None = None, *, state=None) -> None:
    state = state or enrolment.state
    text = MESSAGES.get(state)
    person = enrolment.registration.person
    if text is None or person is None:
        return
    day = opening or enrolment.rights_open_on
    notify(
        user=person.user,
        phone=None if person.user_id else person.phone,
        event=f"coverage.{state}",
        subject=gettext_lazy("Health insurance (AMO)"),
        body=Formatted(
            text,
            {"cnss": enrolment.cnss_number, "date": day.strftime("%d/%m/%Y") if day else "—"},
        ),
    )


def _rights_values(state: str, on: date, source: str, now) -> dict:
    """What a change of rights writes on the enrolment (by the rules or by the CNSS)."""
    values = {
        "state": state,
        "state_since": on,
        "rights_source": source[:80],
        "rights_stated_at": now,
    }
    if state == State.RIGHTS_OPEN:
        values["rights_open_on"] = on
    elif state == State.SUSPENDED:
        values["suspended_on"] = on
    return values


def _close(enrolment, reason: str, *, on: date, source: str, actor=None, note="") -> Enrolment:
    enrolment.closing_reason, enrolment.closed_on = reason, on
    _move(
        enrolment,
        State.CLOSED,
        on=on,
        source=source,
        actor=actor,
        reason=note or reason,
        fields=["closing_reason", "closed_on"],
        data={"reason": reason},
    )
    # Dependants are covered through the insured only.
    Dependant.objects.filter(
        registration_id=enrolment.registration_id,
        state__in=policy.LIVE_DEPENDANT_STATES,
    ).update(state=Dependant.State.ENDED, eligible_until=on, changed_at=timezone.now())
    rows_written.send(sender=Dependant, where={"registration_id": enrolment.registration_id})
    return enrolment


def _enrolment_by_pk(pk) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("registration__province", "registration__person__user")
        .get(pk=pk)
    )
