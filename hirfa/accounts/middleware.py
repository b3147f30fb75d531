"""The second factor comes before anything else (docs/decisions/0038)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import redirect
from django.urls import reverse

from hirfa.accounts import policy, second_factor, services
from hirfa.accounts.roles import STAFF_ROLES

API_PREFIX = "/api/"


class RequireSecondFactorMiddleware:
    """A logged-in account that must show a second factor and has not yet in this session is
    sent to show it (or to enrol an authenticator app, if its role requires one and it has
    none) before any other page, the admin site included.

    Exempt: the second-factor pages themselves, logging out, the language switch, static files
    and the public card verification. The API is answered as for an anonymous visitor while
    the session has not shown its second factor; bearer tokens, separate credentials that the
    API checks itself, are unaffected. Needs django-otp's OTPMiddleware before it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        unknown = set(settings.SECOND_FACTOR_REQUIRED_ROLES) - set(STAFF_ROLES)
        if unknown:
            allowed = ", ".join(sorted(STAFF_ROLES))
            raise ImproperlyConfigured(
                f"SECOND_FACTOR_REQUIRED_ROLES may list {allowed}, not {', '.join(sorted(unknown))}"
            )
        self._exempt = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and second_factor.second_factor_due(user, request.session)
            and not _verified(user)
        ):
            if request.path.startswith(API_PREFIX):
                request.user = AnonymousUser()
            elif not request.path.startswith(self.exempt_paths()):
                return self._send_to_second_factor(request, user)
        return self.get_response(request)

    def exempt_paths(self) -> tuple[str, ...]:
        if self._exempt is None:
            self._exempt = (
                reverse("accounts:second_factor_verify"),
                reverse("accounts:second_factor_enrol"),
                reverse("accounts:logout"),
                reverse("core:set_language"),
                reverse("verification:verify"),
                settings.STATIC_URL,
            )
        return self._exempt

    def _send_to_second_factor(self, request, user):
        if second_factor.has_second_factor(user):
            page = "accounts:second_factor_verify"
        elif policy.second_factor_required(user):
            page = "accounts:second_factor_enrol"
        else:
            # An account that chose a second factor lost it during this session (reset by an
            # administrator, or turned off elsewhere): nothing is left to show.
            request.session.pop(second_factor.SESSION_DUE, None)
            return self.get_response(request)
        url = reverse(page)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


def _verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


class RememberLanguageMiddleware:
    """The language a logged-in person acts in (a form sent: an application, a document) is
    kept on their account, so that the messages sent to them later (an officer's decision,
    by SMS) are written in it. Reading pages writes nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Before the view: what it sends (an SMS about the file) is in this language already.
        user = getattr(request, "user", None)
        language = getattr(request, "LANGUAGE_CODE", "")
        acted = request.method not in ("GET", "HEAD", "OPTIONS")
        if acted and user is not None and user.is_authenticated and language:
            services.remember_language(user, language)
        return self.get_response(request)
