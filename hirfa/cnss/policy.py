"""Who may do what in the exchange with the CNSS. The exchange is national; the rejections
worklist is the liaison's and that of the staff acting for the artisans of a territory
(the selectors keep each to their territory)."""

from hirfa.accounts.roles import Capability, has_capability


def may_exchange(user) -> bool:
    """See the batches, export, import: the CNSS liaison."""
    return has_capability(user, Capability.EXCHANGE_CNSS)


def may_follow_rejections(user) -> bool:
    """The artisans the CNSS rejected: the liaison, and the agents and officers of their
    province."""
    return any(
        has_capability(user, capability)
        for capability in (Capability.EXCHANGE_CNSS, Capability.FILE_ASSISTED, Capability.REVIEW)
    )


def may_work_on_rejection(user, rejection) -> bool:
    """Record that the artisan was contacted: whoever follows the worklist, while it is open."""
    return may_follow_rejections(user) and rejection.closed_at is None


def may_correct(user, rejection) -> bool:
    """Correct the artisan's data through the register's modification workflow: an agent
    (who files the modification with the artisan; an officer then decides it)."""
    return (
        has_capability(user, Capability.FILE_ASSISTED)
        and rejection.closed_at is None
        and rejection.registration_id is not None
    )
