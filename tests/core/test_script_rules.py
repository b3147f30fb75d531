"""The compiled script rules agree with their definition, character by character.

`is_arabic_script`, `is_latin_script` and `is_tifinagh_script` are compiled into
regular expressions (hirfa.core.validators); the definitions below are the rules as
the docstrings state them, one character at a time.
"""

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from hirfa.core.validators import (
    ARABIC_NAME_PUNCTUATION,
    ARABIC_RANGES,
    JOINERS,
    LATIN_NAME_PUNCTUATION,
    TIFINAGH_NAME_PUNCTUATION,
    has_invisible_characters,
    is_arabic_script,
    is_latin_script,
    is_tifinagh_script,
)
from hirfa.territory.validators import TIFINAGH_SEPARATORS


def _kind(character: str) -> str:
    return unicodedata.category(character)[0]


def arabic_by_definition(text: str, punctuation) -> bool:
    has_letter = False
    for character in text:
        if _kind(character) in "LM":
            point = ord(character)
            if not any(low <= point <= high for low, high in ARABIC_RANGES):
                return False
            has_letter = has_letter or _kind(character) == "L"
        elif not (punctuation is None or character in punctuation or character in JOINERS):
            return False
    return has_letter


def latin_by_definition(text: str, punctuation) -> bool:
    has_letter = False
    for character in text:
        point = ord(character)
        if _kind(character) == "L":
            if point > 0x024F:
                return False
            has_letter = True
        elif _kind(character) == "M":
            if not 0x0300 <= point <= 0x036F or point == 0x034F:
                return False
        elif not (punctuation is None or character in punctuation):
            return False
    return has_letter


def tifinagh_by_definition(text: str, punctuation) -> bool:
    has_letter = False
    for character in text:
        if 0x2D30 <= ord(character) <= 0x2D7F:
            has_letter = has_letter or _kind(character) == "L"
        elif punctuation is None:
            if _kind(character) in "LM":
                return False
        elif character not in punctuation:
            return False
    return has_letter


# Texts mixing the scripts' blocks, their neighbours, marks, joiners, digits and
# punctuation, and anything else.
_NEAR = st.sampled_from(
    "محمدعبدالحقأإآةىـًٌٍَُِّْ٣٠ \u200c\u200d-'’.()"
    "AbdelhaqÀéıſǂ\u0301\u034f\u0370Аⵎⵓⵃⴷⵜ⵰\u2d7f\u2d6f\u0000\t\u00a0\ufeff"
)
texts = st.text(st.one_of(_NEAR, st.characters()), max_size=12)


@settings(max_examples=500, deadline=None)
@given(text=texts, punctuation=st.sampled_from([ARABIC_NAME_PUNCTUATION, None]))
@example(text="الصناعة التقليدية (2)", punctuation=None)
@example(text="عبد\u200cالله", punctuation=ARABIC_NAME_PUNCTUATION)
def test_the_arabic_rule_is_its_definition(text, punctuation):
    assert is_arabic_script(text, punctuation=punctuation) == arabic_by_definition(
        text, punctuation
    )


@settings(max_examples=500, deadline=None)
@given(text=texts, punctuation=st.sampled_from([LATIN_NAME_PUNCTUATION, None]))
@example(text="Jose\u0301", punctuation=LATIN_NAME_PUNCTUATION)
@example(text="A\u034fli", punctuation=LATIN_NAME_PUNCTUATION)
def test_the_latin_rule_is_its_definition(text, punctuation):
    assert is_latin_script(text, punctuation=punctuation) == latin_by_definition(text, punctuation)


@settings(max_examples=500, deadline=None)
@given(
    text=texts,
    punctuation=st.sampled_from([TIFINAGH_NAME_PUNCTUATION, TIFINAGH_SEPARATORS, None]),
)
@example(text="ⵜⵉⵣⵏⵉⵜ⵰ⵜⴰⵎⴰⵣⵉⵖⵜ", punctuation=TIFINAGH_NAME_PUNCTUATION)
def test_the_tifinagh_rule_is_its_definition(text, punctuation):
    assert is_tifinagh_script(text, punctuation=punctuation) == tifinagh_by_definition(
        text, punctuation
    )


@settings(max_examples=500, deadline=None)
@given(text=texts, allow_joiners=st.booleans())
@example(text="a\u00a0b", allow_joiners=False)
@example(text="عبد\u200cالله", allow_joiners=True)
def test_invisible_characters_are_those_of_the_other_categories(text, allow_joiners):
    expected = any(_kind(c) == "C" and not (allow_joiners and c in JOINERS) for c in text)
    assert has_invisible_characters(text, allow_joiners=allow_joiners) == expected
