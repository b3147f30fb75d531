"""The contribution schedule: amounts by category, each row in force from its month on."""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.audit.services import record
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.coverage import policy, selectors
from hirfa.coverage.models import ContributionCategory, ContributionRate
from hirfa.coverage.money import add_months, month_end, parse_amount, parse_period, parse_rate


def _clean_rate_row(row: dict, *, first_allowed: date) -> dict:
    errors: dict[str, list[str]] = {}
    clean = {}
    for field, parser in [
        ("category", None),
        ("starts_on", parse_period),
        ("basis", parse_amount),
        ("rate", parse_rate),
        ("monthly_amount", parse_amount),
    ]:
        value = row.get(field)
        if parser is None:
            if value not in ContributionCategory.values:
                errors[field] = [_("Choose one of the proposed values.")]
            clean[field] = value
            continue
        try:
            clean[field] = parser(value, field=field)
        except DomainError as error:
            errors[field] = [str(m) for ms in error.fields.values() for m in ms]
    if "starts_on" in clean and clean["starts_on"] < first_allowed:
        errors["starts_on"] = [
            _(
                "A change takes effect from the current month or later: past months are "
                "never rewritten."
            )
        ]
    clean["source"] = " ".join(str(row.get("source") or "").split())[:300]
    if errors:
        raise DomainError(_("Some information is missing or not valid."), fields=errors)
    return clean


@transaction.atomic
def add_rates(*, actor, rows: list[dict]) -> list[ContributionRate]:
    """New rows of the contribution schedule, each in force from its month on.

    The row in force before is ended the month before; a row that would overlap another
    (a later row already planned, or two rows of the list for the same month) is
    refused. Any refusal refuses the whole list: the error lists every line.
    """
    if not policy.may_edit_schedule(actor):
        raise Forbidden()
    first_allowed = timezone.localdate().replace(day=1)
    errors: dict[str, list[str]] = {}
    cleaned: list[dict] = []
    seen: set[tuple[str, date]] = set()
    for line, row in enumerate(rows, start=1):
        try:
            clean = _clean_rate_row(
                row if isinstance(row, dict) else {}, first_allowed=first_allowed
            )
        except DomainError as error:
            errors[f"line {line}"] = [f"{f}: {m}" for f, ms in error.fields.items() for m in ms]
            continue
        key = (clean["category"], clean["starts_on"])
        later = (
            ContributionRate.objects.filter(
                category=clean["category"], starts_on__gte=clean["starts_on"]
            ).exists()
            or ContributionRate.objects.filter(
                category=clean["category"], ends_on__gte=clean["starts_on"]
            ).exists()
        )
        if (
            key in seen
            or later
            or any(c == clean["category"] and s > clean["starts_on"] for c, s in seen)
        ):
            errors[f"line {line}"] = [
                _("This row overlaps another row of the schedule for the same category.")
            ]
        seen.add(key)
        cleaned.append(clean)
    if errors:
        raise DomainError(
            _("The schedule was not changed: some lines are refused."),
            fields=errors,
            code="schedule_refused",
        )
    created = []
    for clean in sorted(cleaned, key=lambda c: (c["category"], c["starts_on"])):
        current = (
            ContributionRate.objects.select_for_update()
            .filter(category=clean["category"], ends_on__isnull=True)
            .first()
        )
        if current is not None:
            current.ends_on = month_end(add_months(clean["starts_on"], -1))
            current.save(update_fields=["ends_on"])
        try:
            with transaction.atomic():
                rate = ContributionRate.objects.create(created_by=actor, **clean)
        except IntegrityError:
            raise Conflict(
                _("This row overlaps another row of the schedule for the same category.")
            ) from None
        record(
            actor=actor,
            action="contribution_rate.added",
            obj=rate,
            data={
                "category": rate.category,
                "starts_on": rate.starts_on,
                "basis": rate.basis,
                "rate": rate.rate,
                "amount": rate.monthly_amount,
                "previous_ends_on": current.ends_on if current else None,
            },
        )
        created.append(rate)
    return created


def monthly_amount(category: str, month: date) -> Decimal | None:
    rate = selectors.rate_for(category, month)
    return rate.monthly_amount if rate else None
