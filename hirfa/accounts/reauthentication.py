"""Re-authentication before sensitive actions (ASVS 3.7.1, docs/decisions/0077).

Changing a password, creating API tokens, managing staff accounts and turning the second
factor off ask again for the password, and for the code of the second factor when the
account has one, unless this session showed them within REAUTHENTICATION_SECONDS (a
login counts). Whoever finds a signed-in screen left open, or holds a stolen session
cookie, cannot take the account over with it.

Wrong passwords count in the login throttle (a right one clears it, as at the login);
wrong codes count as at the second step. Each confirmation is audited.
"""

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _

from hirfa.accounts import second_factor
from hirfa.accounts.services import (
    begin_login_attempt,
    clear_login_failures,
    note_login_failure,
)
from hirfa.audit.services import record
from hirfa.core.errors import DomainError

AUTHENTICATED_AT = "hirfa_authenticated_at"


def note(session) -> None:
    """The session has just shown who it is."""
    session[AUTHENTICATED_AT] = int(time.time())


@receiver(user_logged_in, dispatch_uid="hirfa-authenticated-at-login")
def _remember_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        note(request.session)


def is_recent(request) -> bool:
    shown = request.session.get(AUTHENTICATED_AT)
    return shown is not None and time.time() - shown <= settings.REAUTHENTICATION_SECONDS


def confirm(*, user, password: str, code: str = "", address: str | None = None) -> None:
    """Check `user`'s password and, when the account has a second factor, its code;
    DomainError (wrong, or throttled) otherwise."""
    attempt = begin_login_attempt(user.get_username(), address)
    if attempt is None:
        message = _("Too many failed attempts. For your safety, wait 15 minutes and try again.")
        raise DomainError(message, code="throttled", status=429)
    if not user.check_password(password or ""):
        note_login_failure(attempt, user=user)
        message = _("This password is not right.")
        raise DomainError(message, code="wrong_password", fields={"password": [message]})
    if second_factor.has_second_factor(user):
        if not code:
            message = _("Type the code your app shows now.")
            raise DomainError(message, code="code_required", fields={"code": [message]})
        second_factor.verify(user=user, code=code, address=address)
    clear_login_failures(user.get_username())
    record(actor=user, action="account.reauthenticated", obj=user)


def reauthentication_required(view=None, *, then=None, methods=None):
    """Send a session that has not shown its password (and code) lately to confirm them,
    then back: to the page itself for a GET, to `then` (a URL or its name) for a form
    posted elsewhere, else to the page the form was posted to. `methods`: only these
    (e.g. ("POST",) for a list whose actions are posted)."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            gated = methods is None or request.method in methods
            if gated and request.user.is_authenticated and not is_recent(request):
                if request.method == "GET":
                    back = request.get_full_path()
                else:
                    back = resolve_url(then) if then else request.path
                query = urlencode({"next": back})
                return redirect(f"{reverse('accounts:reauthenticate')}?{query}")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate(view) if view is not None else decorate
