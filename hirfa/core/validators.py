"""Identity, contact and script rules: the one place where they are written.

Forms, the API (pydantic validators) and services call these plain functions.
Each `normalise_*` returns the canonical form to store, and each `validate_*`
returns None; for anything it refuses, whatever the input (None, a number, a
megabyte of unicode junk), a function raises `django.core.exceptions.ValidationError`
with a translated message and a `code`, never another exception. Only a
programming error (an unknown script, a `today` that is not a date) raises
something else.

Sources are in /work/shared/domain.md, "Identity and contact data".
"""

import datetime
import enum
import functools
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from hirfa.core.languages import interpolate_lazy

# Inputs longer than this are refused before any work: no identity number, phone
# number or ICE, however spaced out, comes near it.
_NUMBER_INPUT_MAX_LENGTH = 64

# Full-width forms (typed with East Asian keyboards) and Arabic-Indic digits (Arabic
# keyboards, ٠-٩ and the Persian-style ۰-۹) fold to ASCII. Nothing else is folded: NFKC
# would also turn ², ① or ligatures into digits and letters, too lenient for identity data.
_FOLD = str.maketrans(
    {
        **{0xFF01 + i: chr(0x21 + i) for i in range(0x5E)},
        0x3000: " ",
        **{0x0660 + i: str(i) for i in range(10)},
        **{0x06F0 + i: str(i) for i in range(10)},
    }
)
_HYPHENS = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"


def _fold(value: str) -> str:
    return value.translate(_FOLD)


def _number_input(value: object, error: ValidationError) -> str:
    """`value` folded to ASCII digits and letters, or `error` if it cannot be a number."""
    if not isinstance(value, str) or len(value) > _NUMBER_INPUT_MAX_LENGTH:
        raise error
    return _fold(value)


# National identity card (CNIE)

# No official public specification of the number was found: the domain brief
# accepts one or two letters then 5 to 7 digits, and nothing is derived from it.
CNIE_PATTERN = r"[A-Z]{1,2}[0-9]{5,7}"
_CNIE = re.compile(CNIE_PATTERN, re.ASCII)
_CNIE_SEPARATORS = re.compile(rf"[\s.{_HYPHENS}]+")
_CNIE_MESSAGE = interpolate_lazy(
    _(
        "Enter the number of the national identity card: one or two letters then 5 to 7 "
        "digits, for example %(example)s."
    ),
    {"example": "BE123456"},
)


def normalise_cnie(value: object) -> str:
    """The CNIE number without spaces, hyphens or dots, upper-case, in ASCII."""
    error = ValidationError(_CNIE_MESSAGE, code="invalid_cnie")
    compact = _CNIE_SEPARATORS.sub("", _number_input(value, error))
    # Checked before upper-casing: str.upper() turns some non-ASCII letters into
    # ASCII ones ("ſ" into "S", "ı" into "I"), which must not pass for a card number.
    if not compact.isascii():
        raise error
    compact = compact.upper()
    if not _CNIE.fullmatch(compact):
        raise error
    return compact


# Phone numbers

_PHONE_SEPARATORS = re.compile(rf"[\s.(){_HYPHENS}]+")
_PHONE = re.compile(r"(\+|00)?([0-9]+)", re.ASCII)
_COUNTRY_CODE = "212"
_MOBILE_PREFIXES = "67"
_FIXED_PREFIXES = "5"
_NOT_MOROCCAN_MOBILE = _(
    "Enter a Moroccan phone number: 10 digits starting with 06 or 07, or +212 followed by 9 digits."
)
_NOT_MOROCCAN = _(
    "Enter a Moroccan phone number: 10 digits starting with 05, 06 or 07, "
    "or +212 followed by 9 digits."
)
_NOT_MOBILE = _("This is not a mobile number: enter a number starting with 06 or 07.")


def normalise_phone(value: object, *, mobile_only: bool = True) -> str:
    """A Moroccan number in E.164, `+212` and the 9-digit national number.

    Accepted: `0612345678`, `+212612345678`, `00212612345678`, `212612345678`, the
    international forms with the trunk zero kept (`+212 (0)6…`), and the bare 9-digit
    national number; with spaces, dots, hyphens, parentheses, Arabic-Indic or
    full-width digits. Mobiles start with 6 or 7, fixed lines with 5 (refused when
    `mobile_only`). Non-geographic 08 numbers are not among the domain's kinds and are
    refused.
    """
    not_moroccan = ValidationError(
        _NOT_MOROCCAN_MOBILE if mobile_only else _NOT_MOROCCAN, code="not_moroccan_phone"
    )
    compact = _PHONE_SEPARATORS.sub("", _number_input(value, not_moroccan))
    match = _PHONE.fullmatch(compact)
    if not match:
        raise not_moroccan
    international, digits = match.groups()
    if international:
        if not digits.startswith(_COUNTRY_CODE):
            raise not_moroccan
        national = digits[len(_COUNTRY_CODE) :]
    elif digits.startswith(_COUNTRY_CODE) and len(digits) in (12, 13):
        national = digits[len(_COUNTRY_CODE) :]
    else:
        national = digits
    if len(national) == 10 and national.startswith("0"):
        national = national[1:]
    if len(national) != 9:
        raise not_moroccan
    if national[0] in _MOBILE_PREFIXES:
        pass
    elif mobile_only and national[0] in _FIXED_PREFIXES + "8":
        raise ValidationError(_NOT_MOBILE, code="not_mobile_phone")
    elif mobile_only or national[0] not in _FIXED_PREFIXES:
        raise not_moroccan
    return f"+{_COUNTRY_CODE}{national}"


# Identifiant Commun de l'Entreprise (ICE)

# 15 digits. Whether the last ones are check digits, and how they would be computed,
# is not published: no checksum is verified here, and none must be invented.
_ICE = re.compile(r"[0-9]{15}", re.ASCII)
_ICE_SEPARATORS = re.compile(r"\s+")
_ICE_MESSAGE = _("Enter the ICE (Identifiant Commun de l'Entreprise): 15 digits.")


def normalise_ice(value: object) -> str:
    """The 15 digits of an ICE, without spaces."""
    error = ValidationError(_ICE_MESSAGE, code="invalid_ice")
    compact = _ICE_SEPARATORS.sub("", _number_input(value, error))
    if not _ICE.fullmatch(compact):
        raise error
    return compact


# Email addresses

_EMAIL_MESSAGE = _("Enter a valid email address.")
# No "localhost" exception: an address of the register's own server is nobody's.
_email_validator = EmailValidator(message=_EMAIL_MESSAGE, code="invalid_email", allowlist=[])
_EMAIL_MAX_LENGTH = 320


def normalise_email(value: object) -> str:
    """The address, trimmed, with its domain in lower case (the local part is kept as typed)."""
    error = ValidationError(_EMAIL_MESSAGE, code="invalid_email")
    if not isinstance(value, str):
        raise error
    value = value.strip()
    # Quoted local parts may hold control characters by the RFC; nobody's mailbox does.
    if (
        len(value) > _EMAIL_MAX_LENGTH
        or "@" not in value
        or has_invisible_characters(value, allow_joiners=False)
    ):
        raise error
    local, domain = value.rsplit("@", 1)
    value = f"{local}@{domain.lower()}"
    try:
        _email_validator(value)
    except (ValidationError, UnicodeError, ValueError):
        raise error from None
    return value


# Scripts


class Script(enum.StrEnum):
    ARABIC = "arabic"
    LATIN = "latin"
    TIFINAGH = "tifinagh"


# The Arabic blocks: Arabic, Supplement, Extended-B (U+0870-089F, kept as the crafts
# nomenclature already accepted it), Extended-A, Presentation Forms-A and -B.
ARABIC_RANGES = (
    (0x0600, 0x06FF),
    (0x0750, 0x077F),
    (0x0870, 0x089F),
    (0x08A0, 0x08FF),
    (0xFB50, 0xFDFF),
    (0xFE70, 0xFEFF),
)
# Basic Latin, Latin-1 Supplement, Latin Extended-A and -B.
LATIN_LAST = 0x024F
# Combining diacritics, for names typed decomposed (e + U+0301), except the
# invisible combining grapheme joiner U+034F.
_LATIN_MARKS = (0x0300, 0x036F)
_COMBINING_GRAPHEME_JOINER = 0x034F
TIFINAGH_RANGE = (0x2D30, 0x2D7F)
# For regular expressions: the Tifinagh block as a character class body.
TIFINAGH_CHARACTERS = f"{chr(TIFINAGH_RANGE[0])}-{chr(TIFINAGH_RANGE[1])}"

# Zero-width non-joiner and joiner shape Arabic legitimately.
JOINERS = frozenset("\u200c\u200d")
APOSTROPHES = "'\u2019"
# What a person's name may hold besides letters, by script.
ARABIC_NAME_PUNCTUATION = " -" + APOSTROPHES
LATIN_NAME_PUNCTUATION = " -." + APOSTROPHES
TIFINAGH_NAME_PUNCTUATION = " -"


def is_arabic_character(character: str) -> bool:
    point = ord(character)
    return any(low <= point <= high for low, high in ARABIC_RANGES)


def is_tifinagh_character(character: str) -> bool:
    return TIFINAGH_RANGE[0] <= ord(character) <= TIFINAGH_RANGE[1]


def has_invisible_characters(text: str, *, allow_joiners: bool) -> bool:
    """Whether `text` holds control, format, private-use, surrogate or unassigned characters.

    Such characters would make two identical-looking texts differ. `allow_joiners` lets
    the zero-width (non-)joiner through, which Arabic needs.
    """
    # Printable text holds no character of the "Other" categories (str.isprintable is
    # C code): only the rest is looked at one character at a time.
    if text.isprintable():
        return False
    return any(
        unicodedata.category(c)[0] == "C" and not (allow_joiners and c in JOINERS) for c in text
    )


# Bidirectional controls: embeddings and overrides (U+202A-202E), isolates (U+2066-2069),
# the left-to-right, right-to-left and Arabic letter marks (U+200E, U+200F, U+061C). A
# right-to-left override turns "ahmed.exe" into what reads as another name on screen;
# nothing a person types into a name, an address or a remark needs them (the pages set
# the direction of each text themselves).
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_BIDI_CONTROL = re.compile(f"[{''.join(sorted(BIDI_CONTROLS))}]")


def refuse_bidi_controls(text: object) -> None:
    """Refuse (ValidationError, code "bidi_control") a text holding a bidirectional control."""
    if isinstance(text, str) and _BIDI_CONTROL.search(text):
        raise ValidationError(
            _("Remove the hidden direction marks from this text (copied from elsewhere?)."),
            code="bidi_control",
        )


# The script rules, written as sets of code points and compiled into regular
# expressions once per process: a bulk import checks millions of names, and a
# character-by-character loop in Python was most of its validation time.


def _code_points(ranges, categories: str) -> set[int]:
    return {
        point
        for low, high in ranges
        for point in range(low, high + 1)
        if unicodedata.category(chr(point))[0] in categories
    }


def _character_class(points, *, negated: bool = False) -> str:
    """A regular-expression character class of the code points `points`."""
    ordered, spans = sorted(points), []
    for point in ordered:
        if spans and point == spans[-1][1] + 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    body = "".join(
        f"\\U{low:08x}" if low == high else f"\\U{low:08x}-\\U{high:08x}" for low, high in spans
    )
    return f"[{'^' if negated else ''}{body}]"


_EVERY_CODE_POINT = ((0, 0x10FFFF),)


def _script_letters_and_marks(script: "Script") -> tuple[set[int], set[int]]:
    """(the letters of `script`, every character a text in it may use as a letter or mark)."""
    if script is Script.ARABIC:
        return _code_points(ARABIC_RANGES, "L"), _code_points(ARABIC_RANGES, "LM")
    if script is Script.LATIN:
        letters = _code_points(((0, LATIN_LAST),), "L")
        marks = _code_points((_LATIN_MARKS,), "M") - {_COMBINING_GRAPHEME_JOINER}
        return letters, letters | marks
    # Any character of the Tifinagh block belongs to the script (the separator ⵰ too).
    return _code_points((TIFINAGH_RANGE,), "L"), set(
        range(TIFINAGH_RANGE[0], TIFINAGH_RANGE[1] + 1)
    )


@functools.cache
def _script_rule(script: "Script", punctuation: str | None) -> tuple[re.Pattern, re.Pattern]:
    """(the whole text, one letter) of `script` as regular expressions.

    A text is in the script when it holds one of its letters, no letter or mark of
    another script, and, besides, only characters of `punctuation` (any when it is
    None; the zero-width joiners too in Arabic).
    """
    letters, own = _script_letters_and_marks(script)
    if punctuation is None:
        foreign = _code_points(_EVERY_CODE_POINT, "LM") - own
        whole = _character_class(foreign, negated=True)
    else:
        others = {ord(c) for c in punctuation if unicodedata.category(c)[0] not in "LM"}
        if script is Script.ARABIC:
            others |= {ord(c) for c in JOINERS}
        whole = _character_class(own | others)
    return re.compile(f"{whole}*"), re.compile(_character_class(letters))


def _is_in_script(script: "Script", text: object, punctuation: str | None) -> bool:
    if not isinstance(text, str):
        return False
    whole, letter = _script_rule(script, punctuation)
    return whole.fullmatch(text) is not None and letter.search(text) is not None


def is_arabic_script(text: object, *, punctuation: str | None = ARABIC_NAME_PUNCTUATION) -> bool:
    """Whether `text` is written in Arabic letters.

    Every letter and combining mark must be in an Arabic block, with at least one
    Arabic letter. Other characters must be in `punctuation` (by default what a
    person's name may hold: space, hyphen, apostrophe; no digits) or the zero-width
    joiners; `punctuation=None` lets any of them through (digits, punctuation: the
    name of a thing, such as a craft activity).
    """
    return _is_in_script(Script.ARABIC, text, punctuation)


def is_latin_script(text: object, *, punctuation: str | None = LATIN_NAME_PUNCTUATION) -> bool:
    """Whether `text` is written in Latin letters (Basic Latin to Latin Extended-B).

    At least one letter; besides letters and combining diacritics, only characters
    of `punctuation` (by default space, hyphen, apostrophe, period; no digits), any
    when it is None.
    """
    return _is_in_script(Script.LATIN, text, punctuation)


def is_tifinagh_script(
    text: object, *, punctuation: str | None = TIFINAGH_NAME_PUNCTUATION
) -> bool:
    """Whether `text` is written in Tifinagh (U+2D30-2D7F), with at least one letter.

    Any character of the block may appear (the separator mark ⵰ too); others must be
    in `punctuation` (by default space and hyphen), any non-letter when it is None.
    """
    return _is_in_script(Script.TIFINAGH, text, punctuation)


_SCRIPT_CHECKS = {
    Script.ARABIC: (is_arabic_script, _("Write this name in Arabic letters."), "not_arabic"),
    Script.LATIN: (is_latin_script, _("Write this name in Latin letters."), "not_latin"),
    Script.TIFINAGH: (
        is_tifinagh_script,
        _("Write this name in Tifinagh letters."),
        "not_tifinagh",
    ),
}


def _validate_script(script: Script, text: object, punctuation: str | None) -> None:
    check, message, code = _SCRIPT_CHECKS[script]
    if not check(text, punctuation=punctuation):
        raise ValidationError(message, code=code)


def validate_arabic_script(
    text: object, *, punctuation: str | None = ARABIC_NAME_PUNCTUATION
) -> None:
    _validate_script(Script.ARABIC, text, punctuation)


def validate_latin_script(
    text: object, *, punctuation: str | None = LATIN_NAME_PUNCTUATION
) -> None:
    _validate_script(Script.LATIN, text, punctuation)


def validate_tifinagh_script(
    text: object, *, punctuation: str | None = TIFINAGH_NAME_PUNCTUATION
) -> None:
    _validate_script(Script.TIFINAGH, text, punctuation)


# Text a spreadsheet would run (issue 11): "=", "+", "-" or "@" first makes a cell a
# formula (=HYPERLINK(…) sends the sheet's data away). No name or address starts so.

FORMULA_STARTS = "=+-@"


def validate_not_formula(value: object) -> None:
    """Refuse a name, an address or a label that starts like a spreadsheet formula."""
    text = str(value or "").lstrip()
    if text and text[0] in FORMULA_STARTS:
        raise ValidationError(_("This cannot start with =, +, - or @."), code="formula")


# Names of persons

PERSON_NAME_MAX_LENGTH = 100
_WHITESPACE = re.compile(r"\s+")


def clean_person_name(text: object, script: Script | str) -> str:
    """A person's name as stored: NFC, whitespace collapsed, in the given script.

    Refused: an empty name, more than 100 characters, a first character a spreadsheet
    reads as a formula (= + - @), control or invisible
    characters (the zero-width joiners excepted in Arabic), digits, and letters of
    another script (a mixed-script name included). `script` is a `Script` or its
    value; an unknown one is a programming error (ValueError).
    """
    script = script if isinstance(script, Script) else Script(script)
    if not isinstance(text, str):
        raise ValidationError(_("Enter a name."), code="required")
    text = _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
    if not text:
        raise ValidationError(_("Enter a name."), code="required")
    if len(text) > PERSON_NAME_MAX_LENGTH:
        raise ValidationError(
            ngettext_lazy(
                "Keep this name to %(limit)d character or fewer.",
                "Keep this name to %(limit)d characters or fewer.",
                "limit",
            ),
            code="max_length",
            params={"limit": PERSON_NAME_MAX_LENGTH},
        )
    validate_not_formula(text)
    if has_invisible_characters(text, allow_joiners=script is Script.ARABIC):
        raise ValidationError(
            _("This name contains invisible or control characters."),
            code="invisible_characters",
        )
    check, message, code = _SCRIPT_CHECKS[script]
    if not check(text):
        raise ValidationError(message, code=code)
    return text


# Dates

EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)


def _check_today(today: object) -> None:
    if not isinstance(today, datetime.date) or isinstance(today, datetime.datetime):
        raise TypeError("today must be a datetime.date, not a datetime")


def _date(value: object) -> datetime.date:
    # A datetime is a date to Python but cannot be compared with one.
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise ValidationError(_("Enter a valid date."), code="invalid_date")
    return value


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    """Age in whole years; someone born on 29 February turns a year older on 1 March."""
    before_birthday = (today.month, today.day) < (birth_date.month, birth_date.day)
    return today.year - birth_date.year - before_birthday


def validate_not_future(value: object, *, today: datetime.date) -> None:
    _check_today(today)
    if _date(value) > today:
        raise ValidationError(_("This date cannot be in the future."), code="future_date")


def validate_birth_date(value: object, *, today: datetime.date, minimum_age: int) -> None:
    """Not in the future, not before 1900, and at least `minimum_age` years old on `today`."""
    _check_today(today)
    value = _date(value)
    if value > today:
        raise ValidationError(_("A date of birth cannot be in the future."), code="future_date")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("A date of birth cannot be before 1900."), code="before_1900")
    if age_on(value, today) < minimum_age:
        raise ValidationError(
            ngettext_lazy(
                "The person must be at least %(age)d year old.",
                "The person must be at least %(age)d years old.",
                "age",
            ),
            code="too_young",
            params={"age": minimum_age},
        )
