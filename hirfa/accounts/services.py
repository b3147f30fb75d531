"""Writes on accounts: API tokens, login throttling, users, sign-up by phone."""

import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from hirfa.accounts.models import ApiToken, ApiUse, LoginFailure, PhoneVerification, User
from hirfa.accounts.roles import Role, is_staff_member, opens_admin_site
from hirfa.audit.services import record
from hirfa.core.budgets import count_use, seconds_to_next_minute
from hirfa.core.errors import DomainError, TooManyRequests
from hirfa.core.validators import normalise_phone, refuse_bidi_controls, validate_not_formula
from hirfa.notifications.services import notify

TOKEN_PREFIX = "hirfa"


def create_api_token(*, user: User, name: str, created_by: User | None) -> tuple[ApiToken, str]:
    """Create a token and return it with its secret, which is shown only this once."""
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=ApiToken.digest_of(secret),
        created_by=created_by,
    )
    return token, secret


def revoke_api_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def user_for_token(secret: str) -> User | None:
    """The active user a bearer secret belongs to, or None."""
    if not secret.startswith(f"{TOKEN_PREFIX}_") or len(secret) > 200:
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(
            digest=ApiToken.digest_of(secret),
            revoked_at__isnull=True,
            # Tokens expire API_TOKEN_DAYS after their creation (docs/decisions/0033).
            created_at__gt=now - timedelta(days=settings.API_TOKEN_DAYS),
        )
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    # Record use at most once a minute: a busy client must not write on every call.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def spend_api_request(caller: str) -> None:
    """Count one API request of `caller` (a token's or a session's digest) this minute;
    TooManyRequests past API_REQUESTS_PER_MINUTE, until the next minute (0: no budget)."""
    limit = settings.API_REQUESTS_PER_MINUTE
    if limit and count_use(ApiUse, caller=caller) > limit:
        raise TooManyRequests(retry_after=seconds_to_next_minute())


def _recent_failures(now):
    window = timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    return LoginFailure.objects.filter(at__gte=now - window)


# Per account and address, LOGIN_MAX_FAILURES; per account from every address, and per
# address across accounts (a shared phone at a fair), four times as many (ADR 0032).
ACCOUNT_AND_ADDRESS_FACTOR = 4


def _key(username: str) -> str:
    return username.strip().lower()[:150]


def _over_the_limits(attempt: LoginFailure) -> bool:
    """Counting `attempt` itself: too many recent failures for this account from this
    address, for this account from everywhere, or from this address."""
    recent = _recent_failures(timezone.now())
    limit = settings.LOGIN_MAX_FAILURES
    wider = limit * ACCOUNT_AND_ADDRESS_FACTOR
    account = recent.filter(username=attempt.username)
    from_here = account.filter(address=attempt.address)  # None: the attempts without one
    if from_here.count() > limit or account.count() > wider:
        return True
    return bool(attempt.address) and recent.filter(address=attempt.address).count() > wider


def begin_login_attempt(username: str, address: str | None) -> LoginFailure | None:
    """Count an attempt as failed BEFORE its password is checked; None when throttled.

    The row is inserted (and, outside a transaction, committed) before the count is read,
    so that of attempts sent at once, each sees those inserted before it: at most
    LOGIN_MAX_FAILURES reach the password check. A refused attempt's row is deleted (it
    does not prolong the lock); a success clears the account's failures."""
    attempt = LoginFailure.objects.create(username=_key(username), address=address)
    if _over_the_limits(attempt):
        attempt.delete()
        return None
    return attempt


def note_login_failure(attempt: LoginFailure, *, user: User | None = None) -> None:
    """After a failed check: when `attempt` is the failure that reaches a limit (the
    LOGIN_MAX_FAILURES-th for the account from this address, or the wider limit for the
    account or for the address), one `account.locked` audit entry says so (about `user`,
    else the account of that username if there is one).

    Not one entry per failure: a flood of wrong passwords must not flood the audit chain.
    The rank of the failure (not a count read now) decides, so that failures checked at
    once record one lock, not one each (ADR 0032)."""
    recent = _recent_failures(timezone.now()).filter(pk__lte=attempt.pk)
    limit = settings.LOGIN_MAX_FAILURES
    wider = limit * ACCOUNT_AND_ADDRESS_FACTOR
    account = recent.filter(username=attempt.username)
    reached = []
    if account.filter(address=attempt.address).count() == limit:
        reached.append("account_from_address")
    if account.count() == wider:
        reached.append("account")
    if attempt.address and recent.filter(address=attempt.address).count() == wider:
        reached.append("address")
    if not reached:
        return
    if user is None:
        user = User.objects.filter(username__iexact=attempt.username).first()
    record(
        actor=None,
        actor_label="system:login-throttle",
        action="account.locked",
        obj=user,
        data={
            "username": attempt.username,
            "address": attempt.address,
            "limits": reached,
            "minutes": settings.LOGIN_FAILURE_WINDOW_SECONDS // 60,
        },
    )


@transaction.atomic
def clear_login_failures(username: str) -> None:
    LoginFailure.objects.filter(username=_key(username)).delete()


def _check_password(password: str, user: User) -> None:
    """Every path that sets a password runs the validators of AUTH_PASSWORD_VALIDATORS
    (the admin's and the password-reset forms run them themselves)."""
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise DomainError(error.messages[0], fields={"password": error.messages}) from None


@transaction.atomic
def save_staff_member(
    *,
    username: str,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    organisation=None,
    scope_region=None,
    scope_province=None,
    password_hash: str | None = None,
) -> tuple[User, bool]:
    """Create or update a staff account; national administrators may use the admin site.

    The password is set only when the account is created (None: it cannot log in).
    `password_hash`, instead of `password`: the hash of a password already checked and hashed
    (the demo accounts share one password: hashed once, not once per account). An account
    already as asked is not written again (a second `load_demo` writes nothing).
    """
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username)
    before = None if created else _staff_fields(user)
    user.role = role
    user.first_name = first_name
    user.last_name = last_name
    user.email = email
    user.organisation = organisation
    user.scope_region = scope_region
    user.scope_province = scope_province
    user.is_staff = user.is_superuser = opens_admin_site(role)
    if created:
        # Hashing is deliberately slow (argon2): only new accounts get a password here.
        if password_hash is not None:
            user.password = password_hash
        elif password is None:
            user.set_unusable_password()
        else:
            _check_password(password, user)
            user.set_password(password)
    if before is not None and _staff_fields(user) == before:
        return user, created
    user.full_clean(exclude=["password"])
    user.save()
    return user, created


def _staff_fields(user: User) -> tuple:
    return (
        user.role,
        user.first_name,
        user.last_name,
        user.email,
        user.organisation_id,
        user.scope_region_id,
        user.scope_province_id,
        user.is_staff,
        user.is_superuser,
    )


def remember_language(user: User, language: str) -> None:
    """Keep the language `user` reads the site in, for the messages sent to them later (an
    SMS about their file is written in it). One UPDATE, only when it changed."""
    if user.pk and language and user.language != language:
        User.objects.filter(pk=user.pk).update(language=language)
        user.language = language


# --- Sign-up by phone -------------------------------------------------------------------

PHONE_CODE_DIGITS = 6
PHONE_CODE_LIFETIME = timedelta(minutes=10)
PHONE_CODES_PER_HOUR = 3
PHONE_CODE_MAX_ATTEMPTS = 5
NAME_MAX_LENGTH = 150


def _normalised_phone(phone) -> str:
    try:
        return normalise_phone(phone)
    except ValidationError as error:
        raise DomainError(error.messages[0], fields={"phone": error.messages}) from None


def _name(value, field: str) -> str:
    text = " ".join(str(value or "").split())
    if not text:
        raise DomainError(
            _("Some information is missing or not valid."),
            fields={field: [_("This field is required.")]},
        )
    try:
        validate_not_formula(text)
        refuse_bidi_controls(text)
    except ValidationError as error:
        raise DomainError(error.messages[0], fields={field: error.messages}) from None
    return text[:NAME_MAX_LENGTH]


def _has_confirmed_phone(phone: str) -> bool:
    return PhoneVerification.objects.filter(
        phone=phone, purpose=PhoneVerification.Purpose.SIGNUP, confirmed_at__isnull=False
    ).exists()


def _pending_signup(phone: str) -> User | None:
    """The inactive account waiting for this phone's code, locked; None if there is none.

    Raises DomainError when the phone belongs to an account that is active (log in
    instead) or was closed (an inactive account whose phone was confirmed once).
    """
    user = User.objects.select_for_update().filter(phone=phone).first()
    if user is None:
        user = User.objects.select_for_update().filter(username=phone).first()
    if user is None:
        return None
    if user.is_active:
        raise DomainError(
            _("An account already uses this phone number. Log in."),
            code="phone_taken",
            fields={"phone": [_("An account already uses this phone number. Log in.")]},
            status=409,
        )
    if is_staff_member(user) or _has_confirmed_phone(phone):
        raise DomainError(
            _("This account is closed. Ask your chamber of crafts."),
            code="account_closed",
            fields={"phone": [_("This account is closed. Ask your chamber of crafts.")]},
            status=409,
        )
    return user


def _send_phone_code(phone: str, purpose: str, *, deliver: bool = True) -> PhoneVerification:
    """Replace any waiting code of this phone by a new one, and send it by SMS.

    With `deliver=False` the code is made and counted (the same limits apply) but sent to
    nobody: asked for a phone that has no account, the answer must look the same."""
    now = timezone.now()
    waiting = PhoneVerification.objects.filter(phone=phone, purpose=purpose)
    sent_recently = waiting.filter(created_at__gte=now - timedelta(hours=1)).count()
    if sent_recently >= PHONE_CODES_PER_HOUR:
        raise DomainError(
            _("We already sent %(count)s codes to this number. Wait an hour and try again.")
            % {"count": PHONE_CODES_PER_HOUR},
            code="throttled",
            status=429,
        )
    # Only the newest code counts: an older one still in a phone's inbox is dead.
    waiting.filter(confirmed_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(10**PHONE_CODE_DIGITS):0{PHONE_CODE_DIGITS}d}"
    verification = PhoneVerification.objects.create(
        phone=phone,
        purpose=purpose,
        code_digest=PhoneVerification.digest_of(code, phone),
        created_at=now,
        expires_at=now + PHONE_CODE_LIFETIME,
    )
    if not deliver:
        return verification
    minutes = int(PHONE_CODE_LIFETIME.total_seconds() // 60)
    notify(
        phone=phone,
        event="account.phone_code",
        subject=gettext_lazy("National Register of Traditional Crafts"),
        body=lambda: (
            _(
                "Your hirfa code: %(code)s. It is valid for %(minutes)s minutes. "
                "Never give it to anyone."
            )
            % {"code": code, "minutes": minutes}
        ),
        language=translation.get_language(),
    )
    return verification


@transaction.atomic
def start_phone_signup(phone, password, first_name, last_name) -> User:
    """Open an artisan account, inactive until the code sent by SMS is confirmed.

    The username is the phone in E.164. Signing up again with a phone whose account
    is still waiting (the code was lost) updates that account and sends a new code.
    """
    phone = _normalised_phone(phone)
    first_name, last_name = _name(first_name, "first_name"), _name(last_name, "last_name")
    user = _pending_signup(phone)
    if user is None:
        user = User(username=phone, phone=phone, role=Role.ARTISAN, is_active=False)
    user.first_name, user.last_name = first_name, last_name
    user.language = translation.get_language() or ""
    _check_password(password or "", user)
    user.set_password(password)
    user.save()
    _send_phone_code(phone, PhoneVerification.Purpose.SIGNUP)
    return user


@transaction.atomic
def resend_phone_code(phone) -> None:
    """Send a new code to a phone whose account is waiting for confirmation."""
    phone = _normalised_phone(phone)
    if _pending_signup(phone) is None:
        raise DomainError(
            _("No account is waiting for this phone number. Create your account again."),
            code="not_found",
            status=404,
        )
    _send_phone_code(phone, PhoneVerification.Purpose.SIGNUP)


def send_phone_code(*, phone, purpose: str) -> str:
    """Send a new one-time code by SMS to `phone` for `purpose` (a `PhoneVerification.Purpose`);
    returns the phone in E.164. The same codes, limits and wording as the sign-up's."""
    phone = _normalised_phone(phone)
    with transaction.atomic():
        _send_phone_code(phone, purpose)
    return phone


def confirm_phone_code(*, phone, purpose: str, code) -> str:
    """Check and use up the code sent to `phone` for `purpose`; returns the phone in E.164.

    Raises DomainError when the code is wrong, expired or missing; a wrong code counts
    against the code, and that count is kept (call this outside a transaction of yours)."""
    phone = _normalised_phone(phone)
    typed = "".join(str(code or "").split())
    with transaction.atomic():
        verification, error = _waiting_code(phone, purpose, typed)
        if error is None:
            verification.confirmed_at = timezone.now()
            verification.save(update_fields=["confirmed_at"])
    if error is not None:
        raise error
    return phone


def _waiting_code(phone: str, purpose: str, typed: str):
    """The newest unused code of this phone for `purpose`, locked, and the problem with
    `typed` (None when it is the right code)."""
    verification = (
        PhoneVerification.objects.select_for_update()
        .filter(phone=phone, purpose=purpose, confirmed_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    return verification, _code_problem(verification, typed, phone)


def confirm_phone(phone, code) -> User:
    """Check the code sent to `phone`; on success the waiting account becomes active.

    A wrong code counts against the code (PHONE_CODE_MAX_ATTEMPTS), and that count is
    kept even though the call fails.
    """
    phone = _normalised_phone(phone)
    typed = "".join(str(code or "").split())
    with transaction.atomic():
        verification, error = _waiting_code(phone, PhoneVerification.Purpose.SIGNUP, typed)
        if error is None:
            user = _pending_signup(phone)
            if user is None:
                error = DomainError(
                    _("No account is waiting for this phone number. Create your account again."),
                    code="not_found",
                    status=404,
                )
            else:
                verification.confirmed_at = timezone.now()
                verification.save(update_fields=["confirmed_at"])
                user.is_active = True
                user.save(update_fields=["is_active"])
                record(actor=user, action="account.phone_confirmed", obj=user)
    if error is not None:
        raise error
    return user


def _code_problem(verification, typed: str, phone: str) -> DomainError | None:
    """None if `typed` is the right code; else the error, with the attempt counted."""

    def refused(message, code):
        return DomainError(message, code=code, fields={"code": [message]})

    if verification is None:
        return refused(_("No code is waiting for this number. Ask for a new code."), "no_code")
    if verification.attempts >= PHONE_CODE_MAX_ATTEMPTS:
        return refused(_("Too many wrong codes. Ask for a new code."), "locked")
    if verification.expires_at <= timezone.now():
        return refused(_("This code has expired. Ask for a new code."), "expired")
    expected = verification.code_digest.encode()
    given = PhoneVerification.digest_of(typed, phone).encode()
    if hmac.compare_digest(expected, given):
        return None
    verification.attempts += 1
    verification.save(update_fields=["attempts"])
    left = PHONE_CODE_MAX_ATTEMPTS - verification.attempts
    if left <= 0:
        return refused(_("Too many wrong codes. Ask for a new code."), "locked")
    return refused(
        ngettext(
            "This code is not right. You may try %(left)d more time.",
            "This code is not right. You may try %(left)d more times.",
            left,
        )
        % {"left": left},
        "wrong_code",
    )
