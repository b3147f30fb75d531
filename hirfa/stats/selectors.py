"""Reads of the aggregates, always within a territory: the scope of a user (or a Scope given
by the monthly report) becomes lookups on the counts here, and nowhere else."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count as Rows
from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from hirfa.accounts.selectors import Scope, scope_of
from hirfa.outreach.models import Event
from hirfa.stats import ledger, measures, policy
from hirfa.stats.filters import Filters
from hirfa.stats.models import Count
from hirfa.territory.models import Province, Region

HELD_EVENTS = (Event.State.PUBLISHED, Event.State.HELD, Event.State.CLOSED)


def scope_lookup(user_or_scope) -> dict:
    """The lookups that keep counts inside a user's (or a Scope's) territory."""
    if isinstance(user_or_scope, Scope):
        scope = user_or_scope
    else:
        if not policy.may_see_statistics(user_or_scope):
            raise PermissionDenied
        scope = scope_of(user_or_scope)
    if scope.national:
        return {}
    if scope.province_id:
        return {"province_id": scope.province_id}
    if scope.region_id:
        return {"region_id": scope.region_id}
    raise PermissionDenied


def _narrowed(lookup: dict, filters: Filters) -> dict:
    lookup = dict(lookup)
    if filters.region_id:
        lookup["region_id"] = filters.region_id
    if filters.province_id:
        lookup["province_id"] = filters.province_id
    return lookup


def counts(lookup: dict, measure: str, filters: Filters, *, period: bool = True) -> QuerySet:
    rows = Count.objects.filter(measure=measure, **_narrowed(lookup, filters)).exclude(n=0)
    if period:
        rows = rows.filter(month__gte=filters.start, month__lte=filters.end)
    return rows.order_by()


def summed(rows: QuerySet, *fields: str) -> list[dict]:
    return list(rows.values(*fields).annotate(total=Sum("n")).order_by(*fields))


def provinces_in(lookup: dict, filters: Filters) -> QuerySet[Province]:
    where = _narrowed(lookup, filters)
    query = Q()
    if "province_id" in where:
        query &= Q(id=where["province_id"])
    if "region_id" in where:
        query &= Q(region_id=where["region_id"])
    return Province.objects.filter(query).select_related("region").order_by("code")


def regions_in(lookup: dict, filters: Filters) -> QuerySet[Region]:
    return Region.objects.filter(id__in=provinces_in(lookup, filters).values("region_id")).order_by(
        "code"
    )


def events_by_month(lookup: dict, filters: Filters) -> list[dict]:
    """Outreach events held (or published) and their attendees, month by month."""
    start = timezone.make_aware(
        timezone.datetime.combine(filters.start, timezone.datetime.min.time())
    )
    end_month = filters.end
    after = date(end_month.year + end_month.month // 12, end_month.month % 12 + 1, 1)
    end = timezone.make_aware(timezone.datetime.combine(after, timezone.datetime.min.time()))
    events = Event.objects.filter(
        state__in=HELD_EVENTS, starts_at__gte=start, starts_at__lt=end, **_narrowed(lookup, filters)
    )
    return list(
        events.annotate(month=TruncMonth("starts_at"))
        .values("month")
        .annotate(
            events=Rows("id", distinct=True),
            signed_up=Rows("attendees", distinct=True),
            present=Rows(
                "attendees", filter=Q(attendees__checked_in_at__isnull=False), distinct=True
            ),
        )
        .order_by("month")
    )


def as_of():
    """When the figures were true: now, unless a bulk write left them to be rebuilt, or
    changes noted since the last fold are more than a page read folds (docs/decisions/0068):
    then the time of the oldest change not yet counted. Returns (time, stale)."""
    freshness = ledger.freshness()
    if freshness.stale_since:
        return freshness.rebuilt_at, True
    if freshness.oldest_note is not None:
        # Reads fold the few changes since the last fold first (a write, the one a read
        # makes; bounded, and skipped while a fold runs).
        ledger.catch_up()
        freshness = ledger.freshness()
        if freshness.oldest_note is not None:
            return freshness.oldest_note, False
    return timezone.now(), False


def overview(user) -> dict[str, dict[str, int]]:
    """{measure: {state: count}} of registrations, dossiers and AMO enrolments in the
    user's territory: one read of the aggregates (the national overview of "my work")."""
    lookup = scope_lookup(user)
    as_of()
    found = {measures.PLACE: {}, measures.DOSSIERS: {}, measures.AMO: {}}
    rows = (
        Count.objects.filter(measure__in=list(found), **lookup)
        .order_by()
        .values("measure", "state")
        .annotate(total=Sum("n"))
    )
    for row in rows:
        found[row["measure"]][row["state"]] = row["total"]
    return found


def registrations_in_month(user, month: date) -> int:
    """Registrations entered in the register in `month`, in the user's territory."""
    as_of()
    rows = Count.objects.filter(
        measure=measures.PLACE, month=month.replace(day=1), **scope_lookup(user)
    )
    return rows.aggregate(total=Sum("n"))["total"] or 0
