"""The national registration number of the register (see docs/registration-number.md).

Ten digits: a nine-digit national serial, allocated in order from 100000001, then one Damm
check digit. Printed in groups 3-3-3-1 (`123 456 789 0`) so that it can be read over the
phone. Pure functions, no database: allocating the serial and looking a number up are the
callers' business.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

FIRST_SERIAL = 100_000_001
LAST_SERIAL = 999_999_999
LENGTH = 10
GROUPS = (3, 3, 3, 1)

# The Damm quasigroup of order 10 (H. Michael Damm, 2004; the table of his thesis, as
# published on Wikipedia). Row: interim digit; column: next digit of the number. It is
# weakly totally anti-symmetric, with zeros on the diagonal: the check digit catches every
# single-digit error and every transposition of two adjacent digits.
DAMM_TABLE: tuple[tuple[int, ...], ...] = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)

# What people type: Western digits, Arabic-Indic digits (Arabic keyboards) and Extended
# Arabic-Indic digits (Persian/Urdu keyboards), each mapped to its ASCII digit.
_DIGITS = {
    **{str(d): str(d) for d in range(10)},
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}
# Separators dropped from typed input: hyphens and dashes, dots, and the invisible
# direction marks that copying from a right-to-left page adds. Whitespace of any kind
# (including no-break spaces) is dropped too.
_SEPARATORS = frozenset(
    "-.\u2010\u2011\u2012\u2013\u2014\u2212\u00b7\u200e\u200f\u061c\u2066\u2067\u2068\u2069"
)

MESSAGES = {
    "malformed": _("A registration number has 10 digits, for example 123 456 789 0."),
    "leading_zero": _("A registration number never starts with 0: this looks like a phone number."),
    "mistyped": _("This number has a typing mistake: check each digit."),
}


def _is_ascii_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def damm_check_digit(digits: str) -> str:
    """The Damm check digit of a string of ASCII digits."""
    if not _is_ascii_digits(digits):
        raise ValueError(f"not a string of digits: {digits!r}")
    interim = 0
    for digit in digits:
        interim = DAMM_TABLE[interim][int(digit)]
    return str(interim)


def is_valid(number: str) -> bool:
    """True if `number` is ten ASCII digits, not starting with 0, whose check digit holds."""
    return (
        isinstance(number, str)
        and len(number) == LENGTH
        and _is_ascii_digits(number)
        and number[0] != "0"
        and damm_check_digit(number) == "0"  # the check digit brings the interim to 0
    )


def make_number(serial: int) -> str:
    """The canonical number (10 digits) of a national serial."""
    if isinstance(serial, bool) or not isinstance(serial, int):
        raise TypeError(f"serial must be an int, not {type(serial).__name__}")
    if not FIRST_SERIAL <= serial <= LAST_SERIAL:
        raise ValueError(f"serial {serial} is outside {FIRST_SERIAL}..{LAST_SERIAL}")
    body = str(serial)
    return body + damm_check_digit(body)


def serial_of(number: str) -> int:
    """The national serial inside a valid canonical number."""
    if not is_valid(number):
        raise ValueError(f"not a valid registration number: {number!r}")
    return int(number[:-1])


def format_number(number: str, separator: str = " ") -> str:
    """`1234567890` → `123 456 789 0`, the way the number is printed and read out.

    In right-to-left text (Arabic pages) the groups must be kept left-to-right: wrap the
    result in `<bdi dir="ltr">` in HTML, or pass `separator="\\u00a0"` (a no-break space,
    which the bidi algorithm keeps inside the number and which never breaks a line).
    """
    if not is_valid(number):
        raise ValueError(f"not a valid registration number: {number!r}")
    groups, start = [], 0
    for size in GROUPS:
        groups.append(number[start : start + size])
        start += size
    return separator.join(groups)


def parse_number(text: str) -> str:
    """The canonical number (10 ASCII digits) in what someone typed or pasted.

    Spaces, hyphens and dots are ignored; Arabic-Indic digits are accepted. Raises
    `ValidationError` with code `malformed` (not 10 digits, or starts with 0) or
    `mistyped` (10 digits whose check digit does not hold: a typing mistake, surely not a
    number of the register). A number that passes may still be *unknown* (never issued,
    or struck off): only the register can tell, so the caller looks it up.
    """
    if not isinstance(text, str):
        raise ValidationError(MESSAGES["malformed"], code="malformed")
    digits = []
    for char in text:
        if char in _DIGITS:
            digits.append(_DIGITS[char])
        elif not (char.isspace() or char in _SEPARATORS):
            raise ValidationError(MESSAGES["malformed"], code="malformed")
    number = "".join(digits)
    if len(number) != LENGTH:
        raise ValidationError(MESSAGES["malformed"], code="malformed")
    if number[0] == "0":
        raise ValidationError(MESSAGES["leading_zero"], code="malformed")
    if damm_check_digit(number) != "0":
        raise ValidationError(MESSAGES["mistyped"], code="mistyped")
    return number


# --- File references ----------------------------------------------------------------------

# A file (dossier) is named to its holder, on the receipt of filing and at /status/, by its
# reference: its id on six digits or more, a hyphen and a Damm check digit ("000123-4"),
# so that a typing mistake finds no file rather than someone else's.
REFERENCE_MIN_DIGITS = 6


def dossier_reference(pk: int) -> str:
    """The reference of the dossier whose id is `pk`: `123` → `000123-7`."""
    body = f"{int(pk):0{REFERENCE_MIN_DIGITS}d}"
    return f"{body}-{damm_check_digit(body)}"


def parse_reference(text) -> int | None:
    """The dossier id in a typed or scanned reference, or None when it is not one (wrong
    length, stray letters, a check digit that does not hold). Arabic-Indic digits, spaces
    and separators are accepted, as for registration numbers."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    digits = []
    for char in text:
        if char in _DIGITS:
            digits.append(_DIGITS[char])
        elif not (char.isspace() or char in _SEPARATORS):
            return None
    reference = "".join(digits)
    if len(reference) <= REFERENCE_MIN_DIGITS or damm_check_digit(reference) != "0":
        return None
    return int(reference[:-1])
