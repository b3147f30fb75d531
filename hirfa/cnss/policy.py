"""Who may do what in the exchange with the CNSS. The exchange is national: one rule."""

from hirfa.accounts.roles import Capability, has_capability


def may_exchange(user) -> bool:
    """See the batches, export, import: the CNSS liaison."""
    return has_capability(user, Capability.EXCHANGE_CNSS)
