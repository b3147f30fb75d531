"""Which blocks of "my work" a user sees: the rule, read from capabilities and scope."""

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import scope_of

OFFICER = "officer"
AGENT = "agent"
CHAMBER = "chamber"
CNSS = "cnss"
NATIONAL = "national"


def lands_on_my_work(user) -> bool:
    """Staff land on "my work" after login; artisans on their own space."""
    return has_capability(user, Capability.VIEW_WORKSPACE)


def blocks_for(user) -> list[str]:
    if not lands_on_my_work(user):
        return []
    blocks = []
    if has_capability(user, Capability.REVIEW):
        blocks.append(OFFICER)
    if has_capability(user, Capability.FILE_ASSISTED):
        blocks.append(AGENT)
        # An agent of a whole region works for its chamber of crafts.
        scope = scope_of(user)
        if scope.region_id and not scope.province_id:
            blocks.append(CHAMBER)
    if has_capability(user, Capability.EXCHANGE_CNSS):
        blocks.append(CNSS)
    elif has_capability(user, Capability.SEE_NATION):
        blocks.append(NATIONAL)
    return blocks
