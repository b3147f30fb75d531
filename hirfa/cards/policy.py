"""Who may do what with cards."""

from hirfa.accounts.roles import Capability, has_capability


def may_manage_cards(user) -> bool:
    """Reissue, print and hand over the cards of one's territory: agents and officers."""
    return has_capability(user, Capability.FILE_ASSISTED) or has_capability(user, Capability.REVIEW)


def may_fetch_own_card(user) -> bool:
    """Download one's own card: whoever holds a file of their own (artisans)."""
    return has_capability(user, Capability.HOLD_OWN_FILE)
