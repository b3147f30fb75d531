"""Writes: a forgotten password replaced with a code sent by SMS (decision 0052).

An artisan signed up with a phone and often has no e-mail. The code, its lifetime, its
attempts and its limit per hour are those of the sign-up. Asked for a phone with no
account (or a staff account, which keeps the e-mail link), the same answer is given and
the same limits count, but no SMS goes out: nobody learns whose number is registered.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.accounts import policy
from hirfa.accounts.models import PhoneVerification, User
from hirfa.accounts.services import (
    _check_password,
    _normalised_phone,
    _send_phone_code,
    _waiting_code,
    clear_login_failures,
)
from hirfa.audit.services import record
from hirfa.core.errors import DomainError

RECOVERY = PhoneVerification.Purpose.RECOVERY


def _recoverable(phone: str) -> User | None:
    user = User.objects.filter(phone=phone).first()
    return user if policy.may_recover_password_by_phone(user) else None


def start_password_recovery(*, phone) -> str:
    """Send a code to `phone` if an artisan's account uses it; returns the phone in E.164.

    Raises DomainError for a number that is not a Moroccan mobile number, and when the
    number already received PHONE_CODES_PER_HOUR codes this hour (with or without account).
    """
    phone = _normalised_phone(phone)
    with transaction.atomic():
        _send_phone_code(phone, RECOVERY, deliver=_recoverable(phone) is not None)
    return phone


def finish_password_recovery(*, phone, code, password) -> User:
    """Check the code sent to `phone` and set the new password; returns the account.

    The password is checked first (a weak one does not use up the code); a wrong code
    counts against the code even though the call fails. Nothing else is written unless
    the code is right."""
    phone = _normalised_phone(phone)
    user = _recoverable(phone)
    _check_password(password or "", user or User(username=phone, phone=phone))
    typed = "".join(str(code or "").split())
    with transaction.atomic():
        verification, error = _waiting_code(phone, RECOVERY, typed)
        if error is None and user is None:
            # A code never sent, guessed (one chance in a million per attempt).
            message = _("Too many wrong codes. Ask for a new code.")
            error = DomainError(message, code="locked", fields={"code": [message]})
        elif error is None:
            user = User.objects.select_for_update().get(pk=user.pk)
            verification.confirmed_at = timezone.now()
            verification.save(update_fields=["confirmed_at"])
            user.set_password(password)
            user.save(update_fields=["password"])
            clear_login_failures(user.username)
            record(actor=user, action="account.password_recovered", obj=user)
    if error is not None:
        raise error
    return user
