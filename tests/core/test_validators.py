import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from hirfa.core.validators import (
    Script,
    clean_person_name,
    is_arabic_script,
    is_latin_script,
    is_tifinagh_script,
    normalise_cnie,
    normalise_email,
    normalise_ice,
    normalise_phone,
    validate_arabic_script,
    validate_birth_date,
    validate_latin_script,
    validate_not_future,
    validate_tifinagh_script,
)


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in their English source, whatever the default language."""
    with translation.override("en"):
        yield


# Any text: random unicode including lone surrogates, control and unassigned characters,
# and text made of the characters the normalisers work on, so that it gets far into them.
any_text = st.one_of(
    st.text(),
    st.text(alphabet=st.characters(exclude_categories=())),
    st.text(alphabet="0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０６+()-. \u00a0ABEZabeſı@"),
    st.text(alphabet="محمد علي ⵜⵉⵣⵏⵉⵜ Léa-N’.'\u200c\u200d\u0301\u034f\t\n"),
)
not_text = st.one_of(st.none(), st.integers(), st.binary(), st.floats(), st.lists(st.integers()))
huge_texts = ["9" * 1_000_000, "06" + " " * 1_000_000 + "12345678", "é" * 1_000_000 + "@x.ma"]

NORMALISERS = {
    "cnie": normalise_cnie,
    "mobile phone": normalise_phone,
    "any phone": lambda value: normalise_phone(value, mobile_only=False),
    "ice": normalise_ice,
    "email": normalise_email,
    **{
        f"{script} name": (lambda value, s=script: clean_person_name(value, s)) for script in Script
    },
}
normaliser_names = pytest.mark.parametrize("name", NORMALISERS)


def outcome(function, value):
    try:
        return function(value)
    except ValidationError as error:
        assert error.code, "every refusal carries a code"
        assert str(error.messages[0]), "every refusal carries a message"
        return error


# Every normaliser


@normaliser_names
@settings(deadline=None)
@given(value=any_text)
def test_every_text_is_either_normalised_or_refused_with_a_validation_error(name, value):
    outcome(NORMALISERS[name], value)


@normaliser_names
@settings(deadline=None)
@given(value=not_text)
def test_a_value_that_is_not_text_is_refused_with_a_validation_error(name, value):
    assert isinstance(outcome(NORMALISERS[name], value), ValidationError)


@normaliser_names
@pytest.mark.parametrize("value", huge_texts, ids=["digits", "spaces", "letters"])
def test_a_huge_text_is_refused_with_a_validation_error(name, value):
    assert isinstance(outcome(NORMALISERS[name], value), ValidationError)


@normaliser_names
@settings(deadline=None)
@given(value=any_text)
@example(value=" be-123.456 ")
@example(value="٠٦ ١٢ ٣٤ ٥٦ ٧٨")
@example(value=" Ali@EXAMPLE.MA ")
@example(value="  محمد   بن علي ")
def test_normalising_twice_gives_the_same_as_normalising_once(name, value):
    function = NORMALISERS[name]
    once = outcome(function, value)
    if not isinstance(once, ValidationError):
        assert function(once) == once


# National identity card


@given(number=st.from_regex(r"[A-Z]{1,2}[0-9]{5,7}", fullmatch=True))
def test_a_valid_card_number_is_kept_as_it_is(number):
    assert normalise_cnie(number) == number


@given(
    number=st.from_regex(r"[A-Z]{1,2}[0-9]{5,7}", fullmatch=True),
    separator=st.sampled_from([" ", "-", ".", " - ", "\u00a0"]),
)
def test_a_card_number_typed_in_lower_case_with_separators_comes_back_compact(number, separator):
    typed = separator.join(number.lower())
    assert normalise_cnie(f" {typed} ") == number


def test_a_card_number_with_arabic_indic_digits_is_accepted():
    assert normalise_cnie("BE١٢٣٤٥٦") == "BE123456"
    assert normalise_cnie("BE۱۲۳۴۵۶") == "BE123456"


def test_a_card_number_with_full_width_characters_is_accepted():
    assert normalise_cnie("ＢＥ１２３４５６") == "BE123456"


@pytest.mark.parametrize(
    "value",
    ["", "123456", "ABC12345", "B1234", "B12345678", "BE12345X", "ſE123456", "BE123456\x00"],
)
def test_a_number_that_is_not_a_card_number_is_refused(value):
    with pytest.raises(ValidationError) as error:
        normalise_cnie(value)
    assert error.value.code == "invalid_cnie"


def test_the_card_number_message_shows_an_example():
    with pytest.raises(ValidationError) as error:
        normalise_cnie("12")
    assert "BE123456" in error.value.messages[0]


# Phone numbers

national_mobiles = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from("67"),
    st.text(alphabet="0123456789", min_size=8, max_size=8),
)
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def _spaced(digits: str, separator: str) -> str:
    return separator.join(digits[i : i + 2] for i in range(0, len(digits), 2))


@given(
    national=national_mobiles,
    prefix=st.sampled_from(["0", "+212", "00212", "212", "+212 (0)", "+212(0)", ""]),
    separator=st.sampled_from(["", " ", ".", "-", " - "]),
    arabic_digits=st.booleans(),
)
def test_every_way_of_writing_a_mobile_number_gives_the_same_e164_number(
    national, prefix, separator, arabic_digits
):
    typed = f"{prefix} {_spaced(national, separator)}"
    if arabic_digits:
        typed = typed.translate(ARABIC_INDIC)
    assert normalise_phone(typed) == f"+212{national}"


def test_a_mobile_number_with_arabic_indic_digits_is_accepted():
    assert normalise_phone("٠٦١٢٣٤٥٦٧٨") == "+212612345678"
    assert normalise_phone("۰۷۱۲۳۴۵۶۷۸") == "+212712345678"


def test_a_mobile_number_in_parentheses_and_dots_is_accepted():
    assert normalise_phone("(06) 12.34.56.78") == "+212612345678"


def test_a_fixed_line_is_refused_when_only_mobiles_are_wanted():
    with pytest.raises(ValidationError) as error:
        normalise_phone("0528 12 34 56")
    assert error.value.code == "not_mobile_phone"


def test_a_fixed_line_is_accepted_when_any_number_is_wanted():
    assert normalise_phone("0528 12 34 56", mobile_only=False) == "+212528123456"


def test_a_non_geographic_08_number_is_not_taken_for_a_mobile():
    with pytest.raises(ValidationError) as error:
        normalise_phone("0801 00 20 20")
    assert error.value.code == "not_mobile_phone"


@pytest.mark.parametrize("mobile_only", [True, False])
@pytest.mark.parametrize(
    "value",
    [
        "+33 6 12 34 56 78",
        "0033612345678",
        "061234567",
        "06123456789",
        "0412345678",
        "+212 912345678",
        "06 12 34 56 7x",
        "+",
        "",
    ],
)
def test_a_number_that_is_not_moroccan_is_refused_as_such(value, mobile_only):
    with pytest.raises(ValidationError) as error:
        normalise_phone(value, mobile_only=mobile_only)
    assert error.value.code == "not_moroccan_phone"


def test_not_moroccan_and_not_mobile_have_different_messages():
    with pytest.raises(ValidationError) as not_moroccan:
        normalise_phone("+33612345678")
    with pytest.raises(ValidationError) as not_mobile:
        normalise_phone("0528123456")
    assert not_moroccan.value.messages != not_mobile.value.messages


# ICE


def test_an_ice_of_15_digits_is_kept_without_its_spaces():
    assert normalise_ice(" 001 525 789 000 065 ") == "001525789000065"


@pytest.mark.parametrize("value", ["00152578900006", "0015257890000651", "00152578900006A", ""])
def test_an_ice_without_exactly_15_digits_is_refused(value):
    with pytest.raises(ValidationError) as error:
        normalise_ice(value)
    assert error.value.code == "invalid_ice"


# Email addresses


def test_an_email_address_has_its_domain_lower_cased_and_its_local_part_kept():
    assert normalise_email(" Fatima.Zahra@Example.MA ") == "Fatima.Zahra@example.ma"


@pytest.mark.parametrize(
    "value", ["fatima", "fatima@", "@example.ma", "fatima@localhost", '"\x01"@example.ma']
)
def test_an_invalid_email_address_is_refused(value):
    with pytest.raises(ValidationError) as error:
        normalise_email(value)
    assert error.value.code == "invalid_email"


# Scripts and names


def test_an_arabic_name_is_arabic_script():
    assert is_arabic_script("عبد الله بن-علي")


def test_a_latin_name_is_latin_script():
    assert is_latin_script("Jean-Luc N’Diaye O'Neill Jr.")


def test_a_tifinagh_name_is_tifinagh_script():
    assert is_tifinagh_script("ⵜⵉⵣⵏⵉⵜ ⵜⴰⵎⴰⵣⵉⵖⵜ")


def test_punctuation_alone_is_no_script():
    assert not is_arabic_script(" - ")
    assert not is_latin_script(" - .")
    assert not is_tifinagh_script(" - ")


def test_digits_are_not_part_of_an_arabic_name():
    assert not is_arabic_script("محمد ٣")


def test_digits_may_be_allowed_in_the_arabic_name_of_a_thing():
    assert is_arabic_script("الصناعة التقليدية (2)", punctuation=None)


@pytest.mark.parametrize("name", ["محمد", "ⵎⵓⵃⵎⵎⴷ"])
def test_a_name_in_another_script_is_refused_in_a_latin_field(name):
    with pytest.raises(ValidationError) as error:
        clean_person_name(name, Script.LATIN)
    assert error.value.code == "not_latin"


@pytest.mark.parametrize("name", ["Mohamed", "ⵎⵓⵃⵎⵎⴷ"])
def test_a_name_in_another_script_is_refused_in_an_arabic_field(name):
    with pytest.raises(ValidationError) as error:
        clean_person_name(name, Script.ARABIC)
    assert error.value.code == "not_arabic"


@pytest.mark.parametrize("name", ["Mohamed", "محمد"])
def test_a_name_in_another_script_is_refused_in_a_tifinagh_field(name):
    with pytest.raises(ValidationError) as error:
        clean_person_name(name, Script.TIFINAGH)
    assert error.value.code == "not_tifinagh"


@pytest.mark.parametrize("script", list(Script))
def test_a_name_mixing_scripts_is_refused_whatever_the_field(script):
    with pytest.raises(ValidationError):
        clean_person_name("محمد Mohamed ⵎⵓⵃⵎⵎⴷ", script)


def test_a_name_mixing_latin_with_a_cyrillic_lookalike_is_refused():
    assert not is_latin_script("Аli")  # the A is Cyrillic


def test_the_script_messages_say_which_letters_to_use():
    with pytest.raises(ValidationError) as error:
        validate_arabic_script("Ali")
    assert error.value.messages == ["Write this name in Arabic letters."]
    with pytest.raises(ValidationError) as error:
        validate_latin_script("علي")
    assert error.value.messages == ["Write this name in Latin letters."]
    with pytest.raises(ValidationError) as error:
        validate_tifinagh_script("Ali")
    assert error.value.messages == ["Write this name in Tifinagh letters."]


def test_a_name_has_its_whitespace_collapsed_and_stripped():
    assert clean_person_name("  Fatima \t Zahra\n", Script.LATIN) == "Fatima Zahra"


def test_a_name_typed_with_decomposed_accents_is_stored_composed():
    assert clean_person_name("Le\u0301a", Script.LATIN) == "Léa"


def test_a_zero_width_non_joiner_is_accepted_in_an_arabic_name():
    assert clean_person_name("عبد\u200cالله", Script.ARABIC) == "عبد\u200cالله"


def test_a_zero_width_joiner_is_refused_in_a_latin_name():
    with pytest.raises(ValidationError) as error:
        clean_person_name("Fat\u200dima", Script.LATIN)
    assert error.value.code == "invisible_characters"


@pytest.mark.parametrize("invisible", ["\x00", "\u200b", "\u200f", "\ufeff", "\u00ad", "\ue000"])
def test_a_name_with_a_control_or_invisible_character_is_refused(invisible):
    with pytest.raises(ValidationError) as error:
        clean_person_name(f"علي{invisible}", Script.ARABIC)
    assert error.value.code == "invisible_characters"


def test_an_invisible_combining_grapheme_joiner_is_refused_in_a_latin_name():
    with pytest.raises(ValidationError):
        clean_person_name("Ali\u034f", Script.LATIN)


def test_a_name_of_100_characters_is_accepted():
    assert clean_person_name("a" * 100, Script.LATIN) == "a" * 100


def test_a_name_of_101_characters_is_refused():
    with pytest.raises(ValidationError) as error:
        clean_person_name("a" * 101, Script.LATIN)
    assert error.value.code == "max_length"
    assert "100" in error.value.messages[0]


@pytest.mark.parametrize("blank", ["", "   ", "\t\n", None])
def test_a_blank_name_is_refused(blank):
    with pytest.raises(ValidationError) as error:
        clean_person_name(blank, Script.ARABIC)
    assert error.value.code == "required"


def test_the_script_may_be_given_by_its_value():
    assert clean_person_name("ⵜⵉⵣⵏⵉⵜ", "tifinagh") == "ⵜⵉⵣⵏⵉⵜ"


def test_an_unknown_script_is_a_programming_error():
    with pytest.raises(ValueError):
        clean_person_name("Ali", "greek")


# Dates

TODAY = datetime.date(2025, 6, 15)


def test_a_date_of_birth_in_the_future_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_birth_date(TODAY + datetime.timedelta(days=1), today=TODAY, minimum_age=0)
    assert error.value.messages == ["A date of birth cannot be in the future."]


def test_someone_who_turns_15_today_is_old_enough_for_a_minimum_of_15():
    validate_birth_date(datetime.date(2010, 6, 15), today=TODAY, minimum_age=15)


def test_someone_who_turns_15_tomorrow_is_too_young_for_a_minimum_of_15():
    with pytest.raises(ValidationError) as error:
        validate_birth_date(datetime.date(2010, 6, 16), today=TODAY, minimum_age=15)
    assert error.value.code == "too_young"
    assert "15" in error.value.messages[0]


def test_someone_born_on_29_february_comes_of_age_on_1_march_in_a_common_year():
    born = datetime.date(2008, 2, 29)
    with pytest.raises(ValidationError):
        validate_birth_date(born, today=datetime.date(2026, 2, 28), minimum_age=18)
    validate_birth_date(born, today=datetime.date(2026, 3, 1), minimum_age=18)


def test_a_date_of_birth_before_1900_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_birth_date(datetime.date(1899, 12, 31), today=TODAY, minimum_age=18)
    assert error.value.code == "before_1900"


def test_a_date_of_birth_on_1_january_1900_is_accepted():
    validate_birth_date(datetime.date(1900, 1, 1), today=TODAY, minimum_age=18)


@pytest.mark.parametrize("value", [None, "2000-01-01", datetime.datetime(2000, 1, 1)])
def test_a_date_of_birth_that_is_not_a_date_is_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_birth_date(value, today=TODAY, minimum_age=18)
    assert error.value.code == "invalid_date"


@given(value=st.dates())
def test_a_date_of_birth_is_either_accepted_or_refused_with_a_validation_error(value):
    try:
        validate_birth_date(value, today=TODAY, minimum_age=18)
    except ValidationError as error:
        assert error.code in {"future_date", "before_1900", "too_young"}


def test_today_is_not_in_the_future():
    validate_not_future(TODAY, today=TODAY)


def test_tomorrow_is_in_the_future():
    with pytest.raises(ValidationError) as error:
        validate_not_future(TODAY + datetime.timedelta(days=1), today=TODAY)
    assert error.value.code == "future_date"
