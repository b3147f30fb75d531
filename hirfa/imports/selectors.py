"""Reads of imports and exports: each member of staff sees their own (ADR 0055)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from hirfa.core.errors import NotFound
from hirfa.imports.models import ExportJob, ImportRun
from hirfa.imports.policy import may_export, may_import


def runs_for(user) -> QuerySet[ImportRun]:
    """The imports the user started from the browser or the command line."""
    if not user.is_authenticated or not may_import(user):
        return ImportRun.objects.none()
    return ImportRun.objects.filter(actor=user).order_by("-started_at", "-id")


def run_for(user, pk) -> ImportRun:
    """One of the user's imports; NotFound for anyone else's (their existence is not told)."""
    try:
        return runs_for(user).get(pk=int(pk))
    except (ImportRun.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


def exports_for(user) -> QuerySet[ExportJob]:
    if not user.is_authenticated or not may_export(user):
        return ExportJob.objects.none()
    return ExportJob.objects.filter(actor=user)


def export_for(user, pk) -> ExportJob:
    try:
        return exports_for(user).get(pk=int(pk))
    except (ExportJob.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    rejected: int
    skipped: int
    imported: int
    seconds_left: int | None

    @property
    def minutes_left(self) -> int | None:
        if self.seconds_left is None:
            return None
        return -(-self.seconds_left // 60)

    @property
    def percent(self) -> int:
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))


def progress_of(run: ImportRun) -> Progress:
    """Rows done and rejected, and the time left at the pace of the current attempt."""
    total = max(run.rows_total, run.last_row)
    seconds_left = None
    done_now = run.last_row - run.attempt_first_row
    if run.status == ImportRun.Status.RUNNING and run.attempt_started_at and done_now > 0:
        elapsed = (run.updated_at - run.attempt_started_at).total_seconds()
        if elapsed > 0 and total > run.last_row:
            seconds_left = round((total - run.last_row) * elapsed / done_now)
    return Progress(
        done=run.last_row,
        total=total,
        rejected=run.rejected,
        skipped=run.skipped,
        imported=run.imported,
        seconds_left=seconds_left,
    )
