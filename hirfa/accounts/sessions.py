"""Idle and absolute session timeouts (docs/decisions/0033).

`SessionTimeoutMiddleware`: a signed-in session ends after SESSION_IDLE_SECONDS_STAFF
(staff) or SESSION_IDLE_SECONDS (everyone else) without a request, and SESSION_MAX_SECONDS
after signing in, however active.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from hirfa.accounts.roles import Capability, has_capability

SIGNED_IN_AT = "hirfa_signed_in_at"
SEEN_AT = "hirfa_seen_at"
# The last request is written to the session at most this often (a write per request
# would cost a database write per page).
SEEN_RESOLUTION_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="hirfa-session-signed-in-at")
def _remember_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[SIGNED_IN_AT] = now
        request.session[SEEN_AT] = now


def idle_limit(user) -> int:
    if has_capability(user, Capability.VIEW_WORKSPACE):
        return settings.SESSION_IDLE_SECONDS_STAFF
    return settings.SESSION_IDLE_SECONDS


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware: signs out an idle or too old session, so the
    request goes on as an anonymous one (a page asks to sign in, the API answers 401)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            signed_in = session.setdefault(SIGNED_IN_AT, now)
            seen = session.get(SEEN_AT, now)
            if now - seen > idle_limit(user) or now - signed_in > settings.SESSION_MAX_SECONDS:
                logout(request)
            elif now - seen >= SEEN_RESOLUTION_SECONDS or SEEN_AT not in session:
                session[SEEN_AT] = now
        return self.get_response(request)
