"""Who may do what with imports and exports."""

from datetime import timedelta

from django.utils import timezone

from hirfa.accounts.roles import Capability, has_capability

# An import whose counters have not moved for this long is taken as interrupted (its
# worker died, the machine restarted): its owner may resume it (ADR 0055).
STALLED_AFTER = timedelta(minutes=2)


def may_export(user) -> bool:
    """Export the registrations of one's territory: the staff who see a territory."""
    return has_capability(user, Capability.VIEW_WORKSPACE)


def may_import(user) -> bool:
    """Import a legacy list from the browser: the chambers' agents, who file for artisans
    (the rows are checked against their territory, row by row)."""
    return has_capability(user, Capability.FILE_ASSISTED)


def is_interrupted(run, now=None) -> bool:
    """A run that stopped before its end: failed, or running but silent for too long."""
    if run.status == run.Status.DONE:
        return False
    if run.status == run.Status.FAILED:
        return True
    now = now or timezone.now()
    return run.updated_at < now - STALLED_AFTER


def may_resume(user, run, now=None) -> bool:
    """The owner resumes an interrupted import whose file was kept (uploaded in the browser)."""
    return (
        may_import(user) and run.actor_id == user.pk and bool(run.file) and is_interrupted(run, now)
    )
