"""The figures of "my work", each read through the selectors of the app that owns it.

No territorial scoping here: the owning apps' selectors apply it; this module only picks,
counts and dates what they return.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from hirfa.cnss import selectors as cnss
from hirfa.coverage.models import State as EnrolmentState
from hirfa.outreach import selectors as outreach
from hirfa.register import selectors as register
from hirfa.register.models import Dossier, Registration
from hirfa.site import policy
from hirfa.stats import measures
from hirfa.stats import selectors as statistics

# Rejected CNSS lines older than this are taken as handled (sent again or closed).
REJECTIONS_WINDOW = timedelta(days=30)
SHOWN = 5


def _week_start(now):
    today = timezone.localdate(now)
    monday = today - timedelta(days=today.weekday())
    return timezone.make_aware(datetime.combine(monday, time.min))


def officer_figures(user, now) -> dict:
    waiting = register.review_queue(user).aggregate(n=Count("id"), oldest=Min("submitted_at"))
    oldest = waiting["oldest"]
    return {
        "waiting": waiting["n"],
        "oldest_days": (now - oldest).days if oldest else None,
        "decided_this_week": register.decisions_since(user, _week_start(now)).count(),
    }


def agent_figures(user, now) -> dict:
    return register.pending_for_agent(user).aggregate(
        drafts=Count("id", filter=Q(state=Dossier.State.DRAFT)),
        changes_requested=Count("id", filter=Q(state=Dossier.State.CHANGES_REQUESTED)),
    )


def chamber_figures(user, now) -> dict:
    events = outreach.upcoming_events_for(user)
    first_of_month = timezone.localdate(now).replace(day=1)
    return {
        "upcoming": events.count(),
        "next_events": list(events[:SHOWN]),
        "registered_this_month": statistics.registrations_in_month(user, first_of_month),
    }


def cnss_figures(user, now) -> dict:
    batches = cnss.batches_with_rejections(user, since=now - REJECTIONS_WINDOW)
    totals = batches.aggregate(batches=Count("id"), lines=Sum("rejected_count"))
    return {
        "batches": totals["batches"],
        "lines": totals["lines"] or 0,
        "latest": list(batches[:SHOWN]),
        "window_days": REJECTIONS_WINDOW.days,
    }


def _labelled(counts: dict[str, int], choices) -> list[dict]:
    return [{"state": value, "label": choices(value).label, "n": n} for value, n in counts.items()]


def _all_states(counts: dict[str, int], choices) -> list[dict]:
    return _labelled({value: counts.get(value, 0) for value in choices.values}, choices)


def national_figures(user, now) -> dict:
    """Read from the statistics' aggregates: no scan of the register (3 M rows)."""
    counts = statistics.overview(user)
    return {
        "registrations": _all_states(counts[measures.PLACE], Registration.Status),
        "dossiers": _all_states(counts[measures.DOSSIERS], Dossier.State),
        "enrolments": _all_states(counts[measures.AMO], EnrolmentState),
    }


FIGURES = {
    policy.OFFICER: officer_figures,
    policy.AGENT: agent_figures,
    policy.CHAMBER: chamber_figures,
    policy.CNSS: cnss_figures,
    policy.NATIONAL: national_figures,
}


def my_work(user) -> dict[str, dict]:
    """The blocks the user sees, each with its figures."""
    now = timezone.now()
    return {block: FIGURES[block](user, now) for block in policy.blocks_for(user)}
