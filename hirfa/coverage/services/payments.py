"""Contributions paid, as the CNSS reports them: recorded set-based, then arrears and
rights recomputed for the artisans who paid.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.core.errors import Conflict, DomainError
from hirfa.coverage import selectors
from hirfa.coverage.models import ContributionRate, CoverageRules, Enrolment, Payment
from hirfa.coverage.money import format_period, parse_amount, parse_date, parse_period
from hirfa.coverage.services._helpers import CHUNK, _chunks
from hirfa.coverage.services.bulk import (
    _adapted,
    _audit_chunk,
    _distinct_chunks,
    _live,
    _missing,
    _number,
    _set_rights_many,
    _update_many,
)
from hirfa.coverage.services.enrolments import _assess


def _insert_payments(rows: list[tuple]) -> None:
    ops = connection.ops
    table = ops.quote_name(Payment._meta.db_table)
    names = ("enrolment_id", "period", "amount", "paid_on", "reference", "source", "created_at")
    columns = ", ".join(ops.quote_name(c) for c in names)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values = ", ".join([f"({', '.join(['%s'] * len(names))})"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {values}",
                [value for row in chunk for value in _adapted(row)],
            )


def _clean_payment(period, amount, paid_on, reference) -> tuple:
    period = parse_period(period)
    amount = parse_amount(amount)
    paid_on = parse_date(paid_on, field="paid_on")
    reference = str(reference or "").strip()
    if not reference or len(reference) > 64:
        raise DomainError(
            _("A payment needs a reference of at most 64 characters."), code="invalid_reference"
        )
    return period, amount, paid_on, reference


def _payment_changes(known, *, enrolment_id, dues_from, period, amount, paid_on, reference) -> bool:
    """The rule of a payment: True to record it, False when it is already recorded.
    `known` is (enrolment id, period, amount, paid on) of the payment with this reference."""
    if known is not None:
        if known == (enrolment_id, period, amount, paid_on):
            return False
        raise Conflict(
            _("The payment reference %(reference)s was already used for another payment.")
            % {"reference": reference},
            code="reference_reused",
        )
    if dues_from is None:
        raise Conflict(_("This artisan is not immatriculated at the CNSS."), code="not_insured")
    if period < dues_from:
        raise DomainError(
            _("No contribution is due for %(period)s: dues start in %(start)s.")
            % {"period": format_period(period), "start": format_period(dues_from)},
            code="before_dues",
        )
    return True


class _Paid(NamedTuple):
    period: date
    amount: Decimal
    paid_on: date


def _evaluate_many(enrolment_ids, *, as_of: date, trigger: str) -> None:
    """`_evaluate` for many enrolments: arrears written in one statement, rights changes
    grouped (the rules themselves are `_assess`'s)."""
    _evaluate_round(enrolment_ids, as_of=as_of, trigger=trigger)


def _evaluate_round(enrolment_ids, *, as_of: date, trigger: str) -> list[int]:
    config = CoverageRules.current()
    rates: dict[str, list] = {}
    for rate in ContributionRate.objects.all():
        rates.setdefault(rate.category, []).append(rate)
    payments: dict[int, list] = {}
    for pk, *paid in Payment.objects.filter(enrolment_id__in=enrolment_ids).values_list(
        "enrolment_id", "period", "amount", "paid_on"
    ):
        payments.setdefault(pk, []).append(_Paid(*paid))
    arrears, changes = [], []
    enrolments = Enrolment.objects.filter(
        pk__in=enrolment_ids, state__in=selectors.KNOWN_TO_CNSS
    ).select_related("registration__province")
    for enrolment in enrolments:
        verdict = _assess(
            enrolment,
            as_of=as_of,
            config=config,
            rates=rates.get(enrolment.category, []),
            payments=payments.get(enrolment.pk, []),
        )
        if (enrolment.arrears, enrolment.unpaid_months) != (verdict.arrears, verdict.unpaid):
            arrears.append((verdict.arrears, verdict.unpaid, timezone.now(), enrolment.pk))
        if verdict.state is not None:
            changes.append(
                (
                    enrolment.pk,
                    enrolment.registration.province.code,
                    enrolment.registration.number,
                    enrolment.state,
                    verdict.state,
                    verdict.on,
                    verdict.rule,
                )
            )
    _update_many(["arrears", "unpaid_months", "updated_at"], arrears)
    _set_rights_many(changes, trigger=trigger)
    return [change[0] for change in changes]


@transaction.atomic
def assess_payers(*, numbers: Iterable[str], source: str, as_of: date | None = None) -> None:
    """Arrears and rights of these artisans judged once, on every fact recorded so far: the
    CNSS importer calls it after the last line of a payments file (`record_payments` with
    `assess=False`), so that the order of the file's lines changes nothing."""
    as_of = as_of or timezone.localdate()
    for chunk in _chunks(sorted(set(numbers)), CHUNK):
        ids = list(
            Enrolment.objects.filter(registration__number__in=chunk).values_list("id", flat=True)
        )
        _evaluate_many(ids, as_of=as_of, trigger=source)


@transaction.atomic
def record_payments(
    *, items: Iterable[tuple], source: str, assess: bool = True
) -> dict[int, DomainError]:
    """Payments for many lines: items are (line, number, period, amount, paid_on, reference).

    The rules of `record_payment` for each line; returns the refused lines. Arrears and
    rights are recomputed once per chunk for the artisans who paid, unless `assess` is
    False: the caller then calls `assess_payers` once all the payments are in.
    """
    refused: dict[int, DomainError] = {}
    for chunk in _distinct_chunks(items):
        lines = []
        for line, number, period, amount, paid_on, reference in chunk:
            try:
                lines.append(
                    (line, _number(number), *_clean_payment(period, amount, paid_on, reference))
                )
            except DomainError as error:
                refused[line] = error
        live = _live([item[1] for item in lines], "dues_from")
        missing = _missing({item[1] for item in lines if item[1] not in live})
        known = {
            row[0]: row[1:]
            for row in Payment.objects.filter(
                reference__in=[item[5] for item in lines]
            ).values_list("reference", "enrolment_id", "period", "amount", "paid_on")
        }
        rows, facts, paid = [], [], {}
        now = timezone.now()
        for line, number, period, amount, paid_on, reference in lines:
            try:
                if number in missing:
                    raise missing[number]
                pk, province, dues_from = live[number]
                if _payment_changes(
                    known.get(reference),
                    enrolment_id=pk,
                    dues_from=dues_from,
                    period=period,
                    amount=amount,
                    paid_on=paid_on,
                    reference=reference,
                ):
                    known[reference] = (pk, period, amount, paid_on)
                    rows.append((pk, period, amount, paid_on, reference, source[:80], now))
                    facts.append([number, format_period(period), amount, paid_on, reference])
                    paid[pk] = province
            except DomainError as error:
                refused[line] = error
        if not rows:
            continue
        _insert_payments(rows)
        single = None
        if len(rows) == 1:
            single = (Payment.objects.get(reference=rows[0][4]).pk, next(iter(paid.values())))
        _audit_chunk(
            "payment.recorded",
            source=source,
            object_type="coverage.payment",
            items=facts,
            single=single,
        )
        if assess:
            _evaluate_many(list(paid), as_of=timezone.localdate(), trigger=source)
    return refused


@transaction.atomic
def record_payment(
    *, number: str, period: str, amount, paid_on, reference: str, source: str
) -> Payment:
    """A contribution paid for a month ("YYYY-MM"), idempotent on `reference`.

    The amount must be a positive Decimal or text with exactly two decimals. Arrears
    and rights are recomputed (the waiting period may end, a suspension may lift).
    """
    refused = record_payments(
        items=[(0, number, period, amount, paid_on, reference)], source=source
    )
    if refused:
        raise refused[0]
    return Payment.objects.get(reference=str(reference).strip())
