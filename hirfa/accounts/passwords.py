"""Password validators of hirfa, beside Django's (settings.AUTH_PASSWORD_VALIDATORS).

Django's validators let through ten spaces (they count characters, and the list of
common passwords is compared once stripped) and a person's own full name (the similarity
of "FatimaZahra1" to "Fatima" or to "Zahra" stays under its threshold).
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


class NotOnlySpacesValidator:
    """Spaces at either end do not count towards the minimum length."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password.strip()) < self.min_length:
            raise ValidationError(
                _(
                    "This password has fewer than %(min_length)d characters once the spaces "
                    "around it are left out."
                )
                % {"min_length": self.min_length},
                code="password_mostly_spaces",
            )

    def get_help_text(self):
        return _("Spaces around the password do not count.")


class PersonalInformationValidator:
    """The account's names, username and phone number do not count towards the length.

    What is left of the password once every such word (of three characters or more) is
    taken out must still be `min_length` long: "FatimaZahra1" is refused for Fatima Zahra,
    a long phrase that happens to hold her name is not.
    """

    ATTRIBUTES = ("username", "first_name", "last_name", "phone", "email")

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def _words(self, user) -> list[str]:
        words = set()
        for attribute in self.ATTRIBUTES:
            value = str(getattr(user, attribute, "") or "").casefold()
            if attribute == "email":
                value = value.split("@")[0]  # the domain is the same for a whole ministry
            parts = [value.replace(" ", ""), *_NOT_LETTERS_OR_DIGITS.split(value)]
            if attribute == "phone" and value.startswith("+212"):
                parts.append("0" + value[4:])  # as Moroccans write it
            words.update(part for part in parts if len(part) >= 3)
        return sorted(words, key=len, reverse=True)

    def validate(self, password, user=None):
        if user is None:
            return
        rest = _NOT_LETTERS_OR_DIGITS.sub("", password.casefold())
        found = False
        for word in self._words(user):
            plain = _NOT_LETTERS_OR_DIGITS.sub("", word)
            if plain and plain in rest:
                rest = rest.replace(plain, "")
                found = True
        if found and len(rest) < self.min_length:
            raise ValidationError(
                _(
                    "This password is mostly your name, username or phone number: "
                    "add at least %(min_length)d other letters or digits."
                )
                % {"min_length": self.min_length},
                code="password_personal_information",
            )

    def get_help_text(self):
        return _("Your name, username or phone number do not count.")
