"""A file's state asked without an account (/status/): its reference, then a code sent by
SMS to the phone written in the file (decision 0052).

Nothing is revealed to whoever does not hold that phone: an unknown reference, a file with
no mobile phone and a number that already had its codes this hour all get the answer a
real reference gets ("if the reference is right, we sent a code"), and every failed check
gets the same message. Sending and checking are throttled per address, as logins are.
"""

from contextlib import suppress

from django.utils.translation import gettext as _

from hirfa.accounts.models import PhoneVerification
from hirfa.accounts.services import (
    begin_login_attempt,
    clear_login_failures,
    confirm_phone_code,
    send_phone_code,
)
from hirfa.core.errors import DomainError
from hirfa.register.models import Dossier
from hirfa.register.numbers import parse_reference

STATUS = PhoneVerification.Purpose.STATUS


def _refused(message, code="invalid", status=400, field=None) -> DomainError:
    return DomainError(
        message, code=code, status=status, fields={field: [message]} if field else None
    )


def _reference_id(reference) -> int:
    pk = parse_reference(str(reference or ""))
    if pk is None:
        raise _refused(
            _("A file reference has 6 digits, a hyphen and one more digit, like 000123-7."),
            field="reference",
        )
    return pk


def _throttled(key: str, address: str | None):
    """Count one attempt under `key`; DomainError when there were too many lately."""
    attempt = begin_login_attempt(key, address)
    if attempt is None:
        raise _refused(
            _("Too many attempts. For your safety, wait 15 minutes and try again."),
            code="throttled",
            status=429,
        )
    return attempt


def _phone_of(dossier: Dossier | None) -> str:
    if dossier is None:
        return ""
    if dossier.person_id:
        return dossier.person.phone
    return dossier.entity.phone if dossier.entity_id else ""


def _dossier(pk: int) -> Dossier | None:
    return Dossier.objects.select_related("person", "entity").filter(pk=pk).first()


def send_status_code(*, reference, address: str | None) -> int:
    """Send a code to the phone of the file `reference`, if there is one; returns the id
    the reference names (a file or not)."""
    pk = _reference_id(reference)
    _throttled(f"status-send:{address or ''}", address)
    phone = _phone_of(_dossier(pk))
    if phone:
        # A landline, or codes already sent this hour: the same answer.
        with suppress(DomainError):
            send_phone_code(phone=phone, purpose=STATUS)
    return pk


def check_status_code(*, reference, code, address: str | None) -> Dossier:
    """The file `reference` when `code` is the one sent to its phone; DomainError (always
    the same message) otherwise. Call it outside a transaction: failures are counted."""
    pk = _reference_id(reference)
    key = f"status:{pk}"
    _throttled(key, address)
    dossier = _dossier(pk)
    phone = _phone_of(dossier)
    try:
        if not phone:
            raise DomainError()
        confirm_phone_code(phone=phone, purpose=STATUS, code=code)
    except DomainError:
        raise _refused(
            _(
                "The reference or the code is not right, or the code has expired. "
                "Check them, or ask for a new code."
            ),
            field="code",
        ) from None
    clear_login_failures(key)
    return dossier
