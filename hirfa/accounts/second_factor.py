"""The second factor of staff accounts (docs/decisions/0038), on django-otp's devices.

An account's second factor is one confirmed TOTP device (an authenticator app) and one
static device holding its recovery codes, each usable once. Every change is audited.

Wrong codes are throttled twice over:
- like passwords: they are counted in the login-failure table under "2fa:<username>" (a
  colon never appears in a username), so LOGIN_MAX_FAILURES wrong codes within the window
  lock the second step for the rest of the window, and an address's failures add up
  whatever it tried; a right password does not clear them;
- by django-otp's own exponential back-off on each device (1, 2, 4, 8… seconds after
  successive failures), which only a right code resets, so that a patient guesser slows
  down ever more, window after window.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hirfa.accounts import policy
from hirfa.accounts.services import (
    begin_login_attempt,
    clear_login_failures,
    note_login_failure,
)
from hirfa.audit.services import record
from hirfa.core.errors import DomainError, Forbidden

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
# The session remembers, from the password step, that this login must show a second factor
# (an account that chose one though its role does not require it).
SESSION_DUE = "second_factor_due"
_THROTTLE_PREFIX = "2fa:"
# Arabic-Indic and Persian digits, as an Arabic keyboard types them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)


# --- Reading ---------------------------------------------------------------------------


def has_second_factor(user) -> bool:
    """The account has an authenticator app, confirmed."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def second_factor_due(user, session) -> bool:
    """This login must show a second factor before anything else."""
    return policy.second_factor_required(user) or bool(session.get(SESSION_DUE))


def note_login(request, user) -> None:
    """After the password step: remember whether this login must show a second factor."""
    if policy.may_use_second_factor(user) and has_second_factor(user):
        request.session[SESSION_DUE] = True
    else:
        request.session.pop(SESSION_DUE, None)


def format_recovery_code(token: str) -> str:
    """ "abcdefgh" shown as "abcd-efgh"."""
    return f"{token[:4]}-{token[4:]}"


def _cleaned(code) -> str:
    return "".join(str(code or "").translate(_DIGITS).split()).replace("-", "").lower()


# --- Throttling ------------------------------------------------------------------------


def _throttle_key(user) -> str:
    return f"{_THROTTLE_PREFIX}{user.get_username()}"


def _refuse_if_throttled(user, address, devices):
    """Count this code as a failed attempt before it is checked (a right code clears the
    count), as the password login does (ADR 0032); refuse when over the limits. Returns
    the attempt."""
    attempt = begin_login_attempt(_throttle_key(user), address)
    if attempt is None:
        message = _("Too many failed attempts. For your safety, wait 15 minutes and try again.")
    elif any(not device.verify_is_allowed()[0] for device in devices):
        message = _("Too many wrong codes. Wait a little and try again.")
    else:
        return attempt
    raise DomainError(message, code="throttled", status=429, fields={"code": [message]})


def _wrong_code(user, attempt) -> DomainError:
    # The attempt was counted when it began (`_refuse_if_throttled`); a lock is audited.
    note_login_failure(attempt, user=user)
    message = _("This code is not right. Type the code your app shows now.")
    return DomainError(message, code="wrong_code", fields={"code": [message]})


# --- Enrolment -------------------------------------------------------------------------


def _refuse_unless_staff(user) -> None:
    if not policy.may_use_second_factor(user):
        raise Forbidden()


@transaction.atomic
def start_enrolment(*, user) -> TOTPDevice:
    """The authenticator device waiting for its first code: the one already waiting (a page
    shown again shows the same QR code), else a new one with a new random key."""
    _refuse_unless_staff(user)
    waiting = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return waiting or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def confirm_enrolment(*, user, code, address=None) -> tuple[TOTPDevice, list[str]]:
    """Check the first code of the waiting device; on success it becomes the account's second
    factor (replacing any earlier app) and new recovery codes are made, returned in clear
    this once."""
    _refuse_unless_staff(user)
    typed = _cleaned(code)
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("-id")
            .first()
        )
        if device is None:
            message = _("Start again: open the page that shows the QR code.")
            raise DomainError(message, code="no_enrolment", fields={"code": [message]})
        attempt = _refuse_if_throttled(user, address, [device])
        if device.verify_token(typed):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            codes = _new_recovery_codes(user)
            record(actor=user, action="account.second_factor_enrolled", obj=user)
            clear_login_failures(_throttle_key(user))
            return device, codes
    raise _wrong_code(user, attempt)


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    tokens = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return [format_recovery_code(token) for token in tokens]


@transaction.atomic
def renew_recovery_codes(*, user) -> list[str]:
    """New recovery codes for an account with a second factor; the old ones stop working."""
    _refuse_unless_staff(user)
    if not has_second_factor(user):
        raise DomainError(_("Set up your authenticator app first."), code="no_second_factor")
    codes = _new_recovery_codes(user)
    record(actor=user, action="account.recovery_codes_renewed", obj=user)
    return codes


# --- Verification ----------------------------------------------------------------------


def verify(*, user, code, address=None):
    """The device that accepts `code` for `user` (a code of the app, or a recovery code,
    which is then used up); DomainError when none does or when the user must wait."""
    typed = _cleaned(code)
    with transaction.atomic():
        if len(typed) == 6 and typed.isdigit():  # an app's code; recovery codes are 8 long
            devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        else:
            devices = list(
                StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
            )
        attempt = _refuse_if_throttled(user, address, devices)
        matched = next((device for device in devices if device.verify_token(typed)), None)
        if matched is not None:
            if isinstance(matched, StaticDevice):
                left = matched.token_set.count()
                record(
                    actor=user, action="account.recovery_code_used", obj=user, data={"left": left}
                )
            clear_login_failures(_throttle_key(user))
            return matched
    raise _wrong_code(user, attempt)


def recovery_code_notice(user) -> str:
    left = recovery_codes_left(user)
    return ngettext(
        "You used a recovery code. %(left)d recovery code is left.",
        "You used a recovery code. %(left)d recovery codes are left.",
        left,
    ) % {"left": left}


# --- Removal ---------------------------------------------------------------------------


def _remove_devices(user) -> int:
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    removed_static, _by_model = StaticDevice.objects.filter(user=user).delete()
    return removed + removed_static


@transaction.atomic
def turn_off(*, user) -> None:
    """The account gives up its second factor (only if its role does not require one)."""
    if not policy.may_turn_off_second_factor(user):
        raise Forbidden(_("Your role requires a second factor; it cannot be turned off."))
    _remove_devices(user)
    record(actor=user, action="account.second_factor_turned_off", obj=user)


@transaction.atomic
def reset(*, user, by) -> None:
    """A user manager takes away an account's second factor (a lost or changed phone): at
    its next login the account enrols again if its role requires one."""
    if not policy.may_reset_second_factor(by):
        raise Forbidden()
    _remove_devices(user)
    record(actor=by, action="account.second_factor_reset", obj=user)
