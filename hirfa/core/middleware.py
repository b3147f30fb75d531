from csp.constants import SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import resolve
from django.utils import translation
from django.utils.cache import patch_vary_headers

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
                # META, not `request.headers` (which copies every header: the API's
                # public checks come here on every request).
                language = language_from_header(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
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


def served_directly(view):
    """Mark a public view that reads no session, user, message or CSRF token, so that
    `DirectViewsMiddleware` answers it ahead of those layers."""
    view.served_directly = True
    return view


class DirectViewsMiddleware:
    """Public, anonymous views (`served_directly`, under `DIRECT_VIEW_PREFIXES`) answered
    here, without the layers below that they never use: common (its 404 slash
    redirection), CSRF (they are exempt), authentication, session expiry, second factor,
    remembered language, messages, domain-error pages, the personal-data access log (they
    note no read) and the field-device wipe — 40 % of a request that is every online check
    of a card (docs/decisions/0082). The layers above still apply: security headers,
    Content-Security-Policy, no-store, the language, the refusal of NUL bytes. What the
    layers skipped add to every response is added here: `X-Frame-Options`,
    `Vary: Cookie` and `Content-Length`."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.prefixes = tuple(settings.DIRECT_VIEW_PREFIXES)

    def __call__(self, request):
        if request.path_info.startswith(self.prefixes):
            match = resolve(request.path_info)
            if getattr(match.func, "served_directly", False):
                request.resolver_match = match
                request.user = AnonymousUser()  # read by nothing they call; there if asked
                response = match.func(request, *match.args, **match.kwargs)
                response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
                patch_vary_headers(response, ("Cookie",))  # the language is the cookie's
                if not response.streaming and "Content-Length" not in response.headers:
                    response.headers["Content-Length"] = str(len(response.content))
                return response
        return self.get_response(request)


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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware (docs/decisions/0037), with `frame-ancestors` following the
    response's X-Frame-Options: `'self'` for the views that allow same-origin framing
    (`xframe_options_sameorigin`, the documents embedded in the decision screen), the
    settings' `'none'` otherwise. Listed before XFrameOptionsMiddleware, so that it sees the
    header that middleware sets."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if response.get("X-Frame-Options", "").upper() == "SAMEORIGIN":
            parts.replace = {**(parts.replace or {}), "frame-ancestors": [SELF]}
        return parts
