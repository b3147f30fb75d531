"""The background rebuild of the counts, queued when a bulk write left them stale."""

from hirfa.core.jobs import job
from hirfa.stats import ledger


@job
def rebuild_counts() -> dict:
    """`hirfa rebuild_statistics` as a job: idempotent, safe to retry."""
    if ledger.freshness().stale_since is None:
        return {}
    return ledger.rebuild()
