import itertools

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from hirfa.register.numbers import (
    DAMM_TABLE,
    FIRST_SERIAL,
    LAST_SERIAL,
    damm_check_digit,
    format_number,
    is_valid,
    make_number,
    parse_number,
    serial_of,
)

serials = st.integers(min_value=FIRST_SERIAL, max_value=LAST_SERIAL)
numbers = serials.map(make_number)


def error_code(text):
    with pytest.raises(ValidationError) as caught:
        parse_number(text)
    return caught.value.code


# The table itself: the properties that make the check digit catch the errors.


def test_damm_table_is_a_latin_square_with_a_zero_diagonal():
    digits = set(range(10))
    assert all(set(row) == digits for row in DAMM_TABLE)
    assert all({row[col] for row in DAMM_TABLE} == digits for col in range(10))
    assert all(DAMM_TABLE[d][d] == 0 for d in range(10))


def test_damm_table_is_weakly_totally_anti_symmetric():
    # (c*x)*y = (c*y)*x only if x = y: swapping two adjacent digits changes the interim
    # digit, whatever came before.
    for c, x, y in itertools.product(range(10), repeat=3):
        if x != y:
            assert DAMM_TABLE[DAMM_TABLE[c][x]][y] != DAMM_TABLE[DAMM_TABLE[c][y]][x]


def test_damm_table_catches_thirteen_for_thirty():
    # "1x" heard as "x0" (13/30 … 19/90), whatever came before: the docs claim it.
    for c, x in itertools.product(range(10), range(3, 10)):
        assert DAMM_TABLE[DAMM_TABLE[c][1]][x] != DAMM_TABLE[DAMM_TABLE[c][x]][0]


def test_known_check_digits():
    assert damm_check_digit("572") == "4"  # the textbook example
    assert make_number(123456789) == "1234567894"  # the example of the docs
    assert make_number(FIRST_SERIAL) == "1000000018"
    assert format_number("1234567894") == "123 456 789 4"


# Generated numbers


@given(serials)
def test_every_generated_number_is_valid_and_gives_back_its_serial(serial):
    number = make_number(serial)
    assert len(number) == 10
    assert number[0] != "0"
    assert is_valid(number)
    assert parse_number(number) == number
    assert serial_of(number) == serial


@given(numbers)
def test_every_single_digit_substitution_is_detected(number):
    for position, digit in itertools.product(range(10), "0123456789"):
        if number[position] == digit:
            continue
        typo = number[:position] + digit + number[position + 1 :]
        assert not is_valid(typo)
        expected = "malformed" if typo[0] == "0" else "mistyped"
        assert error_code(typo) == expected, typo


@given(numbers)
def test_every_adjacent_transposition_is_detected(number):
    for position in range(9):
        a, b = number[position], number[position + 1]
        if a == b:
            continue
        typo = number[:position] + b + a + number[position + 2 :]
        assert not is_valid(typo)
        expected = "malformed" if typo[0] == "0" else "mistyped"
        assert error_code(typo) == expected, typo


@given(numbers)
def test_parse_number_reads_back_format_number(number):
    assert parse_number(format_number(number)) == number
    assert parse_number(format_number(number, separator="\u00a0")) == number


@given(
    numbers,
    st.lists(st.sampled_from([" ", "-", ".", "\u00a0", "\u200f", "\t"]), min_size=10, max_size=10),
    st.booleans(),
)
def test_parse_number_accepts_separators_and_arabic_indic_digits(number, separators, eastern):
    digits = number
    if eastern:
        digits = "".join(chr(0x0660 + int(d)) for d in number)
    typed = "".join(d + s for d, s in zip(digits, separators, strict=True))
    assert parse_number(typed) == number


def parses_or_is_refused(text):
    """A valid number comes out, or a ValidationError saying malformed or mistyped."""
    try:
        number = parse_number(text)
    except ValidationError as error:
        assert error.code in {"malformed", "mistyped"}
    else:
        assert is_valid(number)


@given(st.text())
def test_garbage_raises_validation_error_only(text):
    parses_or_is_refused(text)


@given(st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹ -.x", max_size=16))
def test_digit_like_garbage_raises_validation_error_only(text):
    parses_or_is_refused(text)


# Typed input


@pytest.mark.parametrize(
    "typed",
    [
        "123 456 789 4",
        "123-456-789-4",
        "123.456.789.4",
        " 1234567894 ",
        "١٢٣ ٤٥٦ ٧٨٩ ٤",  # Arabic-Indic digits
        "۱۲۳۴۵۶۷۸۹۴",  # Extended Arabic-Indic digits
        "\u200e123 456 789 4\u200e",  # copied from a right-to-left page
    ],
)
def test_typed_forms_of_a_number(typed):
    assert parse_number(typed) == "1234567894"


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "malformed"),
        ("123 456 789", "malformed"),  # check digit forgotten
        ("123 456 789 40", "malformed"),
        ("123 456 789 X", "malformed"),
        ("N° 123 456 789 4", "malformed"),
        ("²23 456 789 4", "malformed"),  # a digit to Unicode, not to us
        ("06 12 34 56 78", "malformed"),  # a phone number
        ("123 456 789 5", "mistyped"),
        ("123 456 798 4", "mistyped"),
        ("213 456 789 4", "mistyped"),
    ],
)
def test_malformed_and_mistyped_are_told_apart(typed, code):
    assert error_code(typed) == code


def test_messages():
    with pytest.raises(ValidationError) as caught:
        parse_number("123 456 789 5")
    with translation.override("en"):
        assert caught.value.messages == ["This number has a typing mistake: check each digit."]


def test_non_text_input_is_malformed():
    assert error_code(None) == "malformed"
    assert error_code(1234567894) == "malformed"


@pytest.mark.parametrize("serial", [FIRST_SERIAL - 1, LAST_SERIAL + 1, 0, -5])
def test_make_number_refuses_serials_out_of_range(serial):
    with pytest.raises(ValueError):
        make_number(serial)


def test_format_number_refuses_an_invalid_number():
    with pytest.raises(ValueError):
        format_number("1234567895")
    with pytest.raises(ValueError):
        format_number("123 456 789 4")
