"""The coverage's rules as pure functions of the data and the date: dues, arrears, eligibility.

Nothing here writes; the services apply what these compute (docs/coverage.md).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from hirfa.coverage.models import ContributionRate, EligibilityRule
from hirfa.coverage.money import add_months, month_end, months

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Month:
    period: date
    due: Decimal
    paid: Decimal
    last_paid_on: date | None
    ended: bool

    @property
    def balance(self) -> Decimal:
        return max(self.due - self.paid, ZERO)

    @property
    def settled(self) -> bool:
        return self.paid >= self.due


@dataclass
class Statement:
    """An enrolment's dues month by month, as of a date."""

    months: list[Month] = field(default_factory=list)

    @property
    def unpaid(self) -> list[Month]:
        """Months over and not fully paid: the arrears."""
        return [m for m in self.months if m.ended and not m.settled]

    @property
    def arrears(self) -> Decimal:
        return sum((m.balance for m in self.unpaid), ZERO)

    @property
    def current(self) -> Month | None:
        return next((m for m in self.months if not m.ended), None)

    @property
    def total_due(self) -> Decimal:
        return sum((m.due for m in self.months), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((m.paid for m in self.months), ZERO)


def amount_for(rates: list[ContributionRate], month: date) -> Decimal:
    """The monthly amount in force in `month` among one category's rows (sorted or not)."""
    for rate in rates:
        if rate.starts_on <= month and (rate.ends_on is None or rate.ends_on >= month):
            return rate.monthly_amount
    return ZERO


def statement(
    *,
    dues_from: date,
    until: date | None,
    rates: list[ContributionRate],
    payments,
    as_of: date,
) -> Statement:
    """Dues from `dues_from`'s month to `as_of`'s (or `until`'s when closed, or the last
    month paid in advance), against the payments (objects with period, amount, paid_on)."""
    paid: dict[date, Decimal] = {}
    last_paid_on: dict[date, date] = {}
    for payment in payments:
        paid[payment.period] = paid.get(payment.period, ZERO) + payment.amount
        last_paid_on[payment.period] = max(
            last_paid_on.get(payment.period, payment.paid_on), payment.paid_on
        )
    last = as_of
    if paid:
        last = max(last, max(paid))
    if until is not None:
        last = min(last, until)
    result = Statement()
    for month in months(dues_from, last):
        result.months.append(
            Month(
                period=month,
                due=amount_for(rates, month),
                paid=paid.get(month, ZERO),
                last_paid_on=last_paid_on.get(month),
                ended=month_end(month) < as_of,
            )
        )
    return result


def opening_date(*, immatriculated_on: date, dues_from: date, waiting_months: int, statement):
    """When rights open: once the first `waiting_months` months are paid, on the later of
    the end of the waiting period and the day after the payment completing it; None
    while one of those months is unpaid."""
    if waiting_months == 0:
        return immatriculated_on
    first = [m for m in statement.months if m.period < add_months(dues_from, waiting_months)]
    if len(first) < waiting_months or not all(m.settled for m in first):
        return None
    paid_on = (
        max(m.last_paid_on for m in first if m.last_paid_on)
        if any(m.last_paid_on for m in first)
        else immatriculated_on
    )
    return max(
        add_months(dues_from, waiting_months), paid_on + timedelta(days=1), immatriculated_on
    )


def suspension_date(*, statement: Statement, after_unpaid: int) -> date | None:
    """The day after the end of the `after_unpaid`-th unpaid month, or None."""
    unpaid = statement.unpaid
    if len(unpaid) < after_unpaid:
        return None
    return month_end(unpaid[after_unpaid - 1].period) + timedelta(days=1)


# --- Dependants ---------------------------------------------------------------------------


def birthday(born: date, age: int) -> date:
    """The day someone turns `age` (29 February: 1 March in common years, as `age_on`)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


def rule_until(rule: EligibilityRule, born: date) -> date | None:
    """The last day `rule` covers someone born on `born` (None: no age limit)."""
    if rule.max_age is None:
        return None
    return birthday(born, rule.max_age + 1) - timedelta(days=1)


def rule_applies(rule: EligibilityRule, *, student: bool, married: bool, disabled: bool) -> bool:
    return (
        rule.active
        and (student or not rule.requires_student)
        and (not married or not rule.requires_unmarried)
        and (disabled or not rule.requires_disabled)
    )


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    until: date | None
    rule: EligibilityRule | None


def eligibility(
    rules, *, relation: str, born: date, student: bool, married: bool, disabled: bool, on: date
) -> Eligibility:
    """Whether a spouse or child is a dependant on `on`, until when, and by which rule.

    Among the active rules of the relation whose conditions hold, the one lasting
    longest wins.
    """
    best: Eligibility | None = None
    for rule in rules:
        if rule.relation != relation or not rule_applies(
            rule, student=student, married=married, disabled=disabled
        ):
            continue
        until = rule_until(rule, born)
        if until is not None and until < on:
            continue
        if best is None or (best.until is not None and (until is None or until > best.until)):
            best = Eligibility(True, until, rule)
    return best or Eligibility(False, None, None)
