"""The background rebuild of the counts, queued when a bulk write left them stale."""

from hirfa.core.jobs import job
from hirfa.stats import ledger
from hirfa.stats.report import last_month, write_monthly_report


@job
def rebuild_counts() -> dict:
    """`hirfa rebuild_statistics` as a job: idempotent, safe to retry."""
    if ledger.freshness().stale_since is None:
        return {}
    return ledger.rebuild()


@job
def monthly_report() -> dict:
    """Last month's national report, written once (the job and the command are the same)."""
    report = write_monthly_report(month=last_month())
    return {"month": f"{report.month:%Y-%m}", "written": report.written, "files": len(report.files)}
