"""The enrolment: its dues and rights as the rules judge them (waiting period, suspension
after unpaid months), and what an agent or the register does to it (close, send again).
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.coverage import policy, rules, selectors
from hirfa.coverage.models import ClosingReason, ContributionRate, CoverageRules, Enrolment, State
from hirfa.coverage.money import add_months, month_end, parse_date
from hirfa.coverage.services._helpers import (
    _audit,
    _close,
    _enrolment,
    _enrolment_by_pk,
    _move,
    _province,
    _rights_values,
)
from hirfa.register.models import Registration


def statement_of(enrolment: Enrolment, as_of: date | None = None, *, rates=None, payments=None):
    """The enrolment's dues month by month (None before the immatriculation)."""
    if enrolment.dues_from is None:
        return None
    as_of = as_of or timezone.localdate()
    if rates is None:
        rates = list(ContributionRate.objects.filter(category=enrolment.category))
    if payments is None:
        payments = list(enrolment.payments.all())
    until = month_end(enrolment.closed_on) if enrolment.state == State.CLOSED else None
    return rules.statement(
        dues_from=enrolment.dues_from, until=until, rates=rates, payments=payments, as_of=as_of
    )


def expected_opening(enrolment: Enrolment) -> date | None:
    """While immatriculated: the day rights open if the dues are paid on time."""
    if enrolment.state != State.IMMATRICULATED or enrolment.dues_from is None:
        return None
    waiting = CoverageRules.current().waiting_months
    return max(add_months(enrolment.dues_from, waiting), enrolment.immatriculated_on)


@dataclass(frozen=True)
class _Verdict:
    """What the rules say of an enrolment on a day: its arrears, and a change of rights."""

    arrears: Decimal
    unpaid: int
    state: str | None = None
    on: date | None = None
    rule: str = ""

    def changes(self, enrolment: Enrolment) -> bool:
        return self.state is not None or (enrolment.arrears, enrolment.unpaid_months) != (
            self.arrears,
            self.unpaid,
        )


def _assess(enrolment: Enrolment, *, as_of: date, config, rates=None, payments=None) -> _Verdict:
    """Apply the waiting period and the suspension rule, writing nothing.

    A CNSS statement outranks the rules: the rules do not undo it unless new facts came
    after it (a later unpaid month, a later payment) (ADR 0016).
    """
    statement = statement_of(enrolment, as_of, rates=rates, payments=payments)
    verdict = _Verdict(arrears=statement.arrears, unpaid=len(statement.unpaid))
    by_cnss = enrolment.rights_source.startswith("cnss")
    if enrolment.state == State.IMMATRICULATED:
        opens = rules.opening_date(
            immatriculated_on=enrolment.immatriculated_on,
            dues_from=enrolment.dues_from,
            waiting_months=config.waiting_months,
            statement=statement,
        )
        if opens is not None:
            return replace(verdict, state=State.RIGHTS_OPEN, on=opens, rule="rule:waiting-period")
    elif enrolment.state == State.RIGHTS_OPEN:
        suspends = rules.suspension_date(
            statement=statement, after_unpaid=config.suspend_after_unpaid_months
        )
        # A CNSS opening dated after the unpaid months already took them into account.
        if (
            suspends is not None
            and suspends <= as_of
            and not (by_cnss and enrolment.rights_open_on >= suspends)
        ):
            return replace(verdict, state=State.SUSPENDED, on=suspends, rule="rule:unpaid-months")
    elif enrolment.state == State.SUSPENDED and verdict.unpaid == 0:
        paid = [m.last_paid_on for m in statement.months if m.last_paid_on]
        last_paid = max(paid) if paid else None
        # A CNSS suspension dated after the last payment already took it into account.
        if last_paid is not None and not (by_cnss and enrolment.suspended_on >= last_paid):
            # From the day after the last payment (ADR 0053), as the waiting period opens.
            reopens = last_paid + timedelta(days=1)
            reopens = max(enrolment.suspended_on or reopens, reopens)
            return replace(verdict, state=State.RIGHTS_OPEN, on=reopens, rule="rule:arrears-paid")
    return verdict


def _evaluate(
    enrolment: Enrolment, *, as_of: date, trigger: str, config=None, rates=None
) -> str | None:
    """Apply the rules to a locked enrolment; the new state if it changed."""
    if enrolment.state not in selectors.KNOWN_TO_CNSS:
        return None
    verdict = _assess(enrolment, as_of=as_of, config=config or CoverageRules.current(), rates=rates)
    if (enrolment.arrears, enrolment.unpaid_months) != (verdict.arrears, verdict.unpaid):
        enrolment.arrears, enrolment.unpaid_months = verdict.arrears, verdict.unpaid
        enrolment.save(update_fields=["arrears", "unpaid_months", "updated_at"])
    if verdict.state is None:
        return None
    return _set_rights(
        enrolment, verdict.state, on=verdict.on, source=verdict.rule, data={"trigger": trigger}
    )


def _set_rights(enrolment, state, *, on: date, source: str, data=None) -> str:
    values = _rights_values(state, on, source, timezone.now())
    del values["state"], values["state_since"]  # _move writes them
    for name, value in values.items():
        setattr(enrolment, name, value)
    _move(enrolment, state, on=on, source=source, fields=list(values), data=data)
    return state


def registration_struck_off(registration: Registration, actor, reason: str) -> None:
    """Called by the register inside the transaction that strikes the artisan off: the
    AMO enrolment closes with it (the daily pass only catches what this missed)."""
    pk = (
        Enrolment.objects.filter(registration=registration)
        .exclude(state=State.CLOSED)
        .values_list("pk", flat=True)
        .first()
    )
    if pk is None:
        return
    _close(
        _enrolment_by_pk(pk),
        ClosingReason.STRUCK_OFF,
        on=timezone.localdate(),
        source="register:struck-off",
        actor=actor,
        note=reason,
    )


@transaction.atomic
def close_enrolment(
    *, agent, registration: Registration, reason: str, on=None, note: str = ""
) -> Enrolment:
    """An agent closes the coverage through the register: death, or another scheme."""
    if not policy.is_agent_for(agent, registration):
        raise Forbidden()
    if reason not in (ClosingReason.DEATH, ClosingReason.OTHER_SCHEME):
        raise DomainError(
            _("Choose the reason of the closing."),
            fields={"reason": [_("Choose one of the proposed values.")]},
        )
    on = parse_date(on or timezone.localdate(), field="on")
    enrolment = _enrolment(registration.number, create=True)
    if policy.is_closed(enrolment):
        raise Conflict(_("This enrolment is closed."), code="closed")
    return _close(enrolment, reason, on=on, source="agent", actor=agent, note=note)


@transaction.atomic
def send_again(*, agent, registration: Registration) -> Enrolment:
    """After a CNSS rejection, an agent who checked the file puts it back in the queue."""
    if not policy.is_agent_for(agent, registration):
        raise Forbidden()
    enrolment = _enrolment(registration.number)
    if not policy.awaits_sending_again(enrolment):
        raise Conflict(_("This artisan is not waiting after a rejection."))
    enrolment.rejected_at = None
    enrolment.save(update_fields=["rejected_at", "updated_at"])
    _audit(
        enrolment,
        action="enrolment.requeued",
        source="agent",
        actor=agent,
        province_code=_province(enrolment),
        data={"code": enrolment.rejection_code},
    )
    return enrolment
