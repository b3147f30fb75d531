from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation.trans_real import parse_accept_lang_header


def supported_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def is_supported(code: str | None) -> bool:
    return code in supported_codes()


def language_from_header(header: str) -> str:
    """The first supported language of an Accept-Language header, else the default."""
    for accepted, _quality in parse_accept_lang_header(header[:255]):
        primary = accepted.split("-")[0].lower()
        if is_supported(primary):
            return primary
    return settings.LANGUAGE_CODE


# Each language named in its own script, as the switcher shows it.
LOCAL_NAMES = {"ar": "العربية", "zgh": "ⵜⴰⵎⴰⵣⵉⵖⵜ", "fr": "Français", "en": "English"}


def _interpolate(text, values: dict) -> str:
    return str(text) % values


# A translatable text with values that are not words of any language (a code, an example in
# Latin letters, a web address), formatted when it is shown, in the reader's language:
# interpolate_lazy(gettext_lazy("…, for example %(example)s."), {"example": "BE123456"}).
interpolate_lazy = lazy(_interpolate, str)
