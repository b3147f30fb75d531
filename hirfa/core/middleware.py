from django.conf import settings
from django.utils import translation

from hirfa.core.languages import is_supported, language_from_header


class LanguageMiddleware:
    """Picks the language of each request.

    An explicit choice wins (the language switcher's cookie). Pages are Arabic
    otherwise, whatever the browser says: the register is Arabic-first and many
    phones in Morocco are set to French or English (docs/decisions/0003). API
    clients, which cannot press a switcher, are answered in their Accept-Language.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not is_supported(language):
            language = settings.LANGUAGE_CODE
            if request.path.startswith("/api/"):
                language = language_from_header(request.headers.get("Accept-Language", ""))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
