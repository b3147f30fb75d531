"""Roles and what each may do.

A user has one role, and a role grants capabilities (`CAPABILITIES`). Code asks
`has_capability` (or an app's `policy` module, which asks it); a query on users asks
`roles_with`. Role names are compared only here (`has_role_in`, `is_staff_member`,
`opens_admin_site`); they are otherwise named only by the user model (the field's choices,
the rule that territorial roles have a territory), the account services that create users
and the demo data that defines them.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ARTISAN = "artisan", _("Artisan")
    AGENT = "agent", _("Chamber agent")
    OFFICER = "officer", _("Provincial officer")
    CNSS = "cnss", _("CNSS liaison")
    ADMIN = "admin", _("National administrator")
    AUDITOR = "auditor", _("Auditor")


class Capability(models.TextChoices):
    VIEW_WORKSPACE = "view_workspace", _("See the territory workspace")
    VIEW_STAFF = "view_staff", _("See staff accounts")
    FILE_ASSISTED = "file_assisted", _("File dossiers for artisans")
    REVIEW = "review", _("Review and decide dossiers")
    EXCHANGE_CNSS = "exchange_cnss", _("Exchange enrolment files with the CNSS")
    MANAGE_NOMENCLATURE = "manage_nomenclature", _("Manage the crafts nomenclature")
    MANAGE_USERS = "manage_users", _("Manage users and API tokens")
    READ_AUDIT = "read_audit", _("Read the audit trail")
    HOLD_OWN_FILE = "hold_own_file", _("Apply for oneself and follow one's own file")
    SEE_NATION = "see_nation", _("See the whole country, not one territory")


_STAFF_READ = {Capability.VIEW_WORKSPACE, Capability.VIEW_STAFF}

CAPABILITIES: dict[str, frozenset[str]] = {
    Role.ARTISAN: frozenset({Capability.HOLD_OWN_FILE}),
    Role.AGENT: frozenset(_STAFF_READ | {Capability.FILE_ASSISTED}),
    Role.OFFICER: frozenset(_STAFF_READ | {Capability.REVIEW}),
    Role.CNSS: frozenset(
        {Capability.VIEW_WORKSPACE, Capability.EXCHANGE_CNSS, Capability.SEE_NATION}
    ),
    Role.ADMIN: frozenset(
        _STAFF_READ
        | {
            Capability.MANAGE_NOMENCLATURE,
            Capability.MANAGE_USERS,
            Capability.READ_AUDIT,
            Capability.SEE_NATION,
        }
    ),
    Role.AUDITOR: frozenset(_STAFF_READ | {Capability.READ_AUDIT, Capability.SEE_NATION}),
}

# The administration's staff (everyone but artisans): they may use a second factor.
STAFF_ROLES = frozenset(Role) - {Role.ARTISAN}

# Roles whose accounts must be tied to a region or a province.
TERRITORIAL_ROLES = frozenset({Role.AGENT, Role.OFFICER})


def has_role_in(user, roles) -> bool:
    """The user's role is one of `roles` (a set of this module, or a configured list)."""
    return getattr(user, "role", None) in roles


def is_staff_member(user) -> bool:
    """The administration's staff: every role but the artisan's."""
    return has_role_in(user, STAFF_ROLES)


def opens_admin_site(role: str) -> bool:
    """Only national administrators are given the admin site (`is_staff`)."""
    return role == Role.ADMIN


def roles_with(capability: str) -> list[str]:
    """The roles that hold `capability`, for queries on users."""
    return [role for role, capabilities in CAPABILITIES.items() if capability in capabilities]


def has_capability(user, capability: str) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def require_capability(user, *capabilities) -> None:
    """Refuse (403) a user who has none of `capabilities`: the first line of a staff view."""
    if not any(has_capability(user, capability) for capability in capabilities):
        raise PermissionDenied
