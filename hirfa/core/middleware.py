from django.conf import settings
from django.utils import translation

from hirfa.core.errors import DomainError
from hirfa.core.languages import is_supported, language_from_header
from hirfa.core.views import bad_request, domain_error_page


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


class RefuseNulBytesMiddleware:
    """Refuses (400) a request carrying a NUL character in its path, query, form fields or
    JSON body. No code, name or number holds one, and PostgreSQL refuses it in a query: left
    in, it would fail deep inside a view as a server error instead of at the edge."""

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._carries_nul(request):
            return bad_request(request)
        return self.get_response(request)

    def _carries_nul(self, request) -> bool:
        if "\0" in request.path or _any_nul(request.GET):
            return True
        content_type = request.content_type or ""
        if request.method == "POST" and content_type in self.FORM_TYPES:
            return _any_nul(request.POST)
        if content_type == "application/json":
            return b"\\u0000" in request.body or b"\0" in request.body
        return False


def _any_nul(query) -> bool:
    return any(
        "\0" in key or any("\0" in value for value in values) for key, values in query.lists()
    )


class DomainErrorMiddleware:
    """Answers a page whose view let a service's `DomainError` escape, as the API does for its
    endpoints (`core/api_errors.py`): not found → 404, forbidden → 403, any other refusal → its
    status, each with the error's translated message. Views catch a `DomainError` only to show
    it beside a form; they never translate "not found" by hand."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError) or request.path.startswith("/api/"):
            return None
        return domain_error_page(request, exception)
