"""Who may do what with imports and exports."""

from hirfa.accounts.roles import Capability, has_capability


def may_export(user) -> bool:
    """Export the registrations of one's territory: the staff who see a territory."""
    return has_capability(user, Capability.VIEW_WORKSPACE)
