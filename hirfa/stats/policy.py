"""Who may see which statistics."""

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import scope_of


def may_see_statistics(user) -> bool:
    """Staff with a territory (or the nation) see its statistics; nobody else does."""
    return has_capability(user, Capability.VIEW_WORKSPACE) and not scope_of(user).empty


def may_choose_region(user) -> bool:
    scope = scope_of(user)
    return scope.national


def may_choose_province(user) -> bool:
    scope = scope_of(user)
    return scope.national or bool(scope.region_id)
