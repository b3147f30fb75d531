"""Countries named in the reader's language (nationality is stored as an ISO 3166 code).

The names are CLDR's, through Babel, which has them in Arabic, French, Tamazight (Tifinagh)
and English."""

from babel import Locale, UnknownLocaleError
from django.utils.translation import get_language


def country_name(code: str, language: str | None = None) -> str:
    """`"MA"` → `"المغرب"` on an Arabic page; an unknown code is returned as it is."""
    code = str(code or "").upper()
    try:
        locale = Locale.parse(language or get_language() or "ar")
    except (ValueError, UnknownLocaleError):
        return code
    return locale.territories.get(code, code)
