"""The counts' background work: folding the changes noted since the last fold (queued
soon after a change), and the rebuild queued when a bulk write left them stale."""

from hirfa.core.jobs import Window, job
from hirfa.stats import ledger
from hirfa.stats.report import last_month, write_monthly_report

FOLDS = Window("STATISTICS_FOLD_SECONDS")


@job
def fold_counts() -> dict:
    """Every change noted so far, counted (docs/decisions/0068): idempotent."""
    return {"folded": ledger.fold()}


def queue_fold() -> None:
    """A fold a few seconds from now (the window was claimed when the change was noted):
    the changes of those seconds are folded together."""
    FOLDS.enqueue(fold_counts)


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
