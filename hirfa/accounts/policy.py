"""Who may, and who must, use a second factor (docs/decisions/0038).

The roles that must are configured (SECOND_FACTOR_REQUIRED_ROLES, read at each call so
that a test or a deployment may change it); every other staff member may enrol; artisans
(phone sign-up, no e-mail) never use one.
"""

from django.conf import settings

from hirfa.accounts.roles import Capability, has_capability, has_role_in, is_staff_member


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def second_factor_required(user) -> bool:
    """The account's role must prove a second factor before any page."""
    return (
        _active(user)
        and is_staff_member(user)
        and has_role_in(user, settings.SECOND_FACTOR_REQUIRED_ROLES)
    )


def may_use_second_factor(user) -> bool:
    """Staff may enrol an authenticator app; artisans may not."""
    return _active(user) and is_staff_member(user)


def may_turn_off_second_factor(user) -> bool:
    """Only an account whose role does not require it may remove its own second factor."""
    return may_use_second_factor(user) and not second_factor_required(user)


def may_reset_second_factor(actor) -> bool:
    """Who may take away another account's second factor (a lost phone): user managers."""
    return has_capability(actor, Capability.MANAGE_USERS)


def may_recover_password_by_phone(user) -> bool:
    """An artisan's active account may get a new password with a code sent by SMS to its
    phone; staff keep their e-mail link (an SMS must not bypass their second factor)."""
    return bool(user is not None and user.is_active and user.phone and not has_staff_role(user))


def has_staff_role(user) -> bool:
    return is_staff_member(user)


def may_read_trail(user) -> bool:
    """Who searches the whole audit trail and asks for its verification: auditors and
    national administrators."""
    return has_capability(user, Capability.READ_AUDIT)
