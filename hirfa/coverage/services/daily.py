"""The daily pass of the coverage rules (`hirfa coverage_rules`)."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from hirfa.coverage import policy, selectors
from hirfa.coverage.models import (
    ClosingReason,
    ContributionRate,
    CoverageRules,
    Dependant,
    EligibilityRule,
    Enrolment,
    State,
)
from hirfa.coverage.services._helpers import CHUNK, _audit, _chunks, _close, _enrolment_by_pk
from hirfa.coverage.services.dependants import _eligibility
from hirfa.coverage.services.enrolments import _assess, _evaluate
from hirfa.register.models import Registration


def apply_rules(today: date | None = None) -> dict:
    """The daily pass: close the enrolments of struck-off artisans, open rights after the
    waiting period, suspend after N unpaid months, end dependants past eligibility.

    Each enrolment is handled in its own transaction, so one failure does not hold back
    the rest and locks stay short; running it twice the same day changes nothing more.
    """
    today = today or timezone.localdate()
    counts = {"closed": 0, "opened": 0, "suspended": 0, "reopened": 0, "dependants_ended": 0}
    struck = Enrolment.objects.filter(registration__status=Registration.Status.STRUCK_OFF).exclude(
        state=State.CLOSED
    )
    for pk in list(struck.values_list("pk", flat=True)):
        with transaction.atomic():
            enrolment = _enrolment_by_pk(pk)
            if enrolment.state != State.CLOSED:
                _close(enrolment, ClosingReason.STRUCK_OFF, on=today, source="rule:struck-off")
                counts["closed"] += 1
    config = CoverageRules.current()
    rates: dict[str, list] = {}
    for rate in ContributionRate.objects.all():
        rates.setdefault(rate.category, []).append(rate)
    live = Enrolment.objects.filter(state__in=selectors.KNOWN_TO_CNSS).order_by("pk")
    for chunk in _chunks(live.values_list("pk", flat=True).iterator(chunk_size=CHUNK)):
        # Judged without locks first: most enrolments need nothing, and only those that
        # do are locked and judged again in their own short transaction.
        for enrolment in Enrolment.objects.filter(pk__in=chunk).prefetch_related("payments"):
            category_rates = rates.get(enrolment.category, [])
            verdict = _assess(
                enrolment,
                as_of=today,
                config=config,
                rates=category_rates,
                payments=list(enrolment.payments.all()),
            )
            if not verdict.changes(enrolment):
                continue
            with transaction.atomic():
                enrolment = _enrolment_by_pk(enrolment.pk)
                before = enrolment.state
                changed = _evaluate(
                    enrolment,
                    as_of=today,
                    trigger="rule:daily",
                    config=config,
                    rates=category_rates,
                )
                if changed == State.SUSPENDED:
                    counts["suspended"] += 1
                elif changed == State.RIGHTS_OPEN:
                    counts["opened" if before == State.IMMATRICULATED else "reopened"] += 1
    counts["dependants_ended"] = _end_dependants(today)
    return counts


def _end_dependants(today: date) -> int:
    eligibility_rules = list(EligibilityRule.objects.all())
    ended = 0
    due = Dependant.objects.filter(state__in=policy.LIVE_DEPENDANT_STATES, eligible_until__lt=today)
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            dependant = (
                Dependant.objects.select_for_update(of=("self",))
                .select_related("registration__province")
                .get(pk=pk)
            )
            if not policy.end_of_eligibility_due(dependant, today):
                continue  # changed since the query
            result = _eligibility(dependant, today, eligibility_rules)
            previous = dependant.eligible_until
            if result.eligible:
                dependant.eligible_until = result.until
            else:
                dependant.state = Dependant.State.ENDED
                ended += 1
            dependant.changed_at = timezone.now()
            dependant.save(update_fields=["state", "eligible_until", "changed_at"])
            _audit(
                dependant,
                action="dependant.ended" if not result.eligible else "dependant.extended",
                source="rule:eligibility",
                province_code=dependant.registration.province.code,
                data={"until": previous, "new_until": dependant.eligible_until},
            )
    return ended
