from django.conf import settings

from hirfa.core.languages import LOCAL_NAMES


def languages(request):
    """The languages of the switcher, each named in itself."""
    return {
        "available_languages": [(code, LOCAL_NAMES[code]) for code, _name in settings.LANGUAGES]
    }
