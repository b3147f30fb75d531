"""Parsing money and months exactly: MAD in `Decimal` with two places, months as "YYYY-MM"."""

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from hirfa.core.errors import DomainError

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000.00")
_AMOUNT = re.compile(r"^[0-9]{1,7}\.[0-9]{2}$")
_PERIOD = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])$")
_CNSS_NUMBER = re.compile(r"^[0-9]{6,12}$")


def parse_amount(value, *, field: str = "amount") -> Decimal:
    """A positive amount with exactly two decimal places ("135.00"), as a Decimal.

    Floats are refused: 0.1 + 0.2 is not 0.3 in binary, and a file that writes
    "135" or "135.1" says something other than what we expect.
    """
    if isinstance(value, bool | float):
        value = None
    elif isinstance(value, Decimal):
        value = format(value, "f") if value.is_finite() else None
    text = value.strip() if isinstance(value, str) else None
    if text is None or not _AMOUNT.match(text):
        raise DomainError(
            _("An amount is written with exactly two decimals, like 135.00."),
            fields={field: [_("Write the amount with two decimals, like 135.00.")]},
            code="wrong_precision",
        )
    amount = Decimal(text)
    if not (Decimal(0) < amount < MAX_AMOUNT):
        raise DomainError(
            _("The amount must be positive and below one million dirhams."),
            fields={field: [_("Enter a positive amount.")]},
            code="invalid_amount",
        )
    return amount


def parse_rate(value, *, field: str = "rate") -> Decimal:
    """A percentage such as "6.37", up to three decimals, strictly between 0 and 100."""
    if isinstance(value, bool | float):
        value = None
    try:
        rate = Decimal(str(value).strip()) if value is not None else None
    except InvalidOperation:
        rate = None
    if (
        rate is None
        or not rate.is_finite()
        or rate.as_tuple().exponent < -3
        or not Decimal(0) < rate < Decimal(100)
    ):
        raise DomainError(
            _("Enter a percentage between 0 and 100, with at most three decimals."),
            fields={field: [_("Enter a percentage such as 6.37.")]},
        )
    return rate


def parse_period(value, *, field: str = "period") -> date:
    """The first day of the month written "YYYY-MM" (or given as a date)."""
    if isinstance(value, date):
        return value.replace(day=1)
    match = _PERIOD.match(str(value or "").strip())
    if match is None or not 2000 <= int(match.group(1)) <= 2100:
        raise DomainError(
            _("A month is written YYYY-MM, like 2026-03."),
            fields={field: [_("Write the month as YYYY-MM.")]},
            code="invalid_period",
        )
    return date(int(match.group(1)), int(match.group(2)), 1)


def format_period(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def parse_date(value, *, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise DomainError(
            _("Enter a valid date."), fields={field: [_("Enter a valid date.")]}
        ) from None


def clean_cnss_number(value) -> str:
    """A CNSS immatriculation number: 6 to 12 digits once spaces are removed.

    Its exact format is not public (the sandbox gives 9 digits); this only keeps out
    what cannot be a number, and nothing is derived from it.
    """
    text = "".join(str(value or "").split())
    if not _CNSS_NUMBER.match(text) or not text.isascii():
        raise DomainError(
            _("A CNSS number is made of 6 to 12 digits."),
            fields={"cnss_number": [_("Enter the CNSS number, digits only.")]},
            code="invalid_cnss_number",
        )
    return text


def add_months(month: date, count: int) -> date:
    """The first day of the month `count` months after `month`'s."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def months(first: date, last: date):
    """The first days of the months from `first`'s to `last`'s, inclusive."""
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = add_months(month, 1)
