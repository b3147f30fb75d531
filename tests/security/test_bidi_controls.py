"""Bidirectional control characters (docs/security.md, V5.1): a right-to-left override
(U+202E) or any other embedding, isolate or direction mark is refused in the register's
names (with every invisible character), its addresses and places, and the names typed at
sign-up; Arabic's zero-width joiners still pass."""

import pytest
from django.core.exceptions import ValidationError

from hirfa.accounts import services as accounts
from hirfa.core import validators
from hirfa.core.errors import DomainError
from hirfa.register.services.validation import clean_person
from tests.factories import person_data

CONTROLS = sorted(validators.BIDI_CONTROLS)


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_latin_name_holding_a_bidi_control_is_refused(control):
    with pytest.raises(ValidationError) as refused:
        validators.clean_person_name(f"Fadma{control}exe", validators.Script.LATIN)
    assert refused.value.code == "invisible_characters"


@pytest.mark.parametrize("control", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_an_arabic_name_holding_a_bidi_control_is_refused(control):
    with pytest.raises(ValidationError) as refused:
        validators.clean_person_name(f"فاضمة{control}", validators.Script.ARABIC)
    assert refused.value.code == "invisible_characters"


def test_an_arabic_name_with_a_zero_width_non_joiner_is_still_accepted():
    assert validators.clean_person_name("فا\u200cضمة", validators.Script.ARABIC) == "فا\u200cضمة"


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["address", "birth_place"])
def test_an_address_holding_a_right_to_left_override_is_refused(field):
    with pytest.raises(DomainError) as refused:
        clean_person(person_data(**{field: "12 Derb \u202eIdzikri"}))
    assert field in refused.value.fields


@pytest.mark.django_db
def test_an_address_in_arabic_without_controls_is_accepted():
    assert clean_person(person_data(address="12 درب إدزيكري"))["address"] == "12 درب إدزيكري"


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["first_name", "last_name"])
def test_a_name_typed_at_sign_up_holding_a_right_to_left_override_is_refused(field):
    names = {"first_name": "Fatima", "last_name": "Zahra"} | {field: "gnp.\u202eexe"}
    with pytest.raises(DomainError) as refused:
        accounts.start_phone_signup("0612345678", "tapis-de-tiznit-2026", **names)
    assert field in refused.value.fields


def test_the_refusal_is_translated():
    from django.utils import translation

    with translation.override("fr"):
        with pytest.raises(ValidationError) as refused:
            validators.refuse_bidi_controls("a\u202eb")
        message = refused.value.messages[0]
    assert message.startswith("Retirez de ce texte les marques de direction")
