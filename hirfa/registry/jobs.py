"""Background jobs of the registry API."""

from hirfa.core.jobs import job
from hirfa.registry import delivery


@job
def deliver_notices() -> int:
    return delivery.deliver_notices()
