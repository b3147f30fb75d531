"""Parsing amounts, months and CNSS numbers: exact, and refusing everything else."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hirfa.core.errors import DomainError
from hirfa.coverage.money import (
    add_months,
    clean_cnss_number,
    format_period,
    parse_amount,
    parse_period,
)


@given(st.integers(min_value=1, max_value=99_999_999))
def test_every_amount_in_cents_round_trips_exactly(cents):
    text = f"{cents // 100}.{cents % 100:02d}"
    assert parse_amount(text) == Decimal(cents) / 100
    assert parse_amount(Decimal(text)) == Decimal(text)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_floats_are_always_refused(value):
    with pytest.raises(DomainError):
        parse_amount(value)


@given(st.text(max_size=20))
def test_any_text_is_either_an_exact_amount_or_refused(text):
    try:
        amount = parse_amount(text)
    except DomainError as error:
        assert error.fields
    else:
        assert amount.as_tuple().exponent == -2
        assert Decimal(0) < amount < Decimal(1_000_000)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_every_month_round_trips(day):
    assert parse_period(format_period(day)) == day.replace(day=1)


@given(st.text(max_size=12))
def test_any_text_is_either_a_month_or_refused(text):
    try:
        month = parse_period(text)
    except DomainError:
        return
    assert month.day == 1 and format_period(month) == text.strip()


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "2026-1", "26-01", "2026/01", ""])
def test_malformed_months_are_refused(text):
    with pytest.raises(DomainError):
        parse_period(text)


@given(st.dates(), st.integers(min_value=-500, max_value=500))
def test_adding_months_lands_on_the_first_of_the_right_month(day, count):
    try:
        result = add_months(day, count)
    except ValueError:
        return  # outside the calendar Python knows
    assert result.day == 1
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == count


@given(st.text(max_size=20))
def test_a_cnss_number_is_six_to_twelve_ascii_digits_or_refused(text):
    try:
        number = clean_cnss_number(text)
    except DomainError:
        return
    assert number.isascii() and number.isdigit() and 6 <= len(number) <= 12
