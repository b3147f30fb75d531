"""Reads of outreach events. Territorial scope is applied here and nowhere else."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import restrict
from hirfa.core.errors import NotFound
from hirfa.outreach import funnel, policy
from hirfa.outreach.models import Attendee, Event, EventService, EventSession, Question, Referral
from hirfa.register.models import Registration
from hirfa.territory.models import Organisation, Province, Region

Status = Attendee.Status


def _with_details(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("organiser", "commune", "province", "region").prefetch_related(
        Prefetch("sessions", queryset=EventSession.objects.order_by("starts_at"))
    )


def events_for(user) -> QuerySet[Event]:
    """The events of the user's territory, every state (staff with a workspace only)."""
    if not has_capability(user, Capability.VIEW_WORKSPACE):
        return Event.objects.none()
    return _with_details(restrict(Event.objects.all(), user, via="province"))


def event_for(user, pk) -> Event:
    try:
        return events_for(user).get(pk=int(pk))
    except (Event.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def upcoming_events(*, region: Region | None = None, province: Province | None = None):
    """Published events not yet over, soonest first, for the public list and feeds."""
    events = Event.objects.filter(state=Event.State.PUBLISHED, ends_at__gt=timezone.now())
    if region is not None:
        events = events.filter(region=region)
    if province is not None:
        events = events.filter(province=province)
    return _with_details(events).order_by("starts_at", "id")


def region_feed(region: Region) -> QuerySet[Event]:
    """A region's public events for its calendar feed: upcoming and recent, cancelled too."""
    since = timezone.now() - policy.REMINDER_AHEAD * 90
    return _with_details(
        Event.objects.filter(region=region, state__in=policy.PUBLIC_STATES, ends_at__gt=since)
    ).order_by("starts_at", "id")


def public_event(key: str) -> Event:
    """A public event by its slug or its number; a draft is not found."""
    key = str(key)[:80]
    match = Q(slug=key) | Q(pk=int(key)) if key.isdigit() else Q(slug=key)
    event = (
        _with_details(Event.objects.filter(state__in=policy.PUBLIC_STATES))
        .prefetch_related("partners")
        .filter(match)
        .first()
    )
    if event is None:
        raise NotFound()
    return event


def faq_of(event: Event) -> QuerySet[Question]:
    return event.questions.filter(published=True).exclude(answer="")


def questions_of(event: Event) -> QuerySet[Question]:
    return event.questions.all()


def seats_taken(event: Event) -> int:
    return event.attendees.filter(status=Status.SIGNED_UP).count()


@dataclass(frozen=True)
class Counts:
    signed_up: int
    waiting: int
    checked_in: int
    walk_ins: int
    referrals: int


def counts_of(event: Event) -> Counts:
    """The figures staff follow at the door (two queries)."""
    figures = event.attendees.aggregate(
        signed_up=Count("id", filter=Q(status=Status.SIGNED_UP)),
        waiting=Count("id", filter=Q(status=Status.WAITING)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
        walk_ins=Count("id", filter=Q(source=Attendee.Source.WALK_IN)),
    )
    return Counts(**figures, referrals=Referral.objects.filter(event=event).count())


def attendees_of(event: Event) -> QuerySet[Attendee]:
    return event.attendees.exclude(status=Status.PENDING).select_related("registration")


def attendee_of(event: Event, pk) -> Attendee:
    try:
        return event.attendees.get(pk=int(pk))
    except (Attendee.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def services_of(event: Event) -> QuerySet[EventService]:
    return event.services.select_related("attendee", "given_by")


def next_on_waiting_list(event: Event) -> Attendee | None:
    return (
        event.attendees.select_for_update()
        .filter(status=Status.WAITING)
        .order_by("signed_up_at", "id")
        .first()
    )


def due_reminders(now) -> QuerySet[Attendee]:
    """Signed-up attendees of published events starting within a day, not yet reminded."""
    return (
        Attendee.objects.filter(
            status=Status.SIGNED_UP,
            reminded_at__isnull=True,
            event__state=Event.State.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lte=now + policy.REMINDER_AHEAD,
        )
        .exclude(phone="")
        .select_related("event", "event__commune")
    )


def public_regions() -> QuerySet[Region]:
    return Region.objects.order_by("code")


def registration_by_number(number: str):
    """A registration by its national number (spaces ignored), wherever it was filed: an
    artisan of another region may come to a fair."""
    digits = "".join(str(number or "").split())[:12]
    return (
        Registration.objects.select_related("person", "entity").filter(number=digits).first()
        if digits
        else None
    )


def registration_by_cnie(cnie: str):
    return (
        Registration.objects.select_related("person", "entity")
        .filter(person__cnie=cnie)
        .exclude(status=Registration.Status.STRUCK_OFF)
        .order_by("-created_at", "-id")
        .first()
    )


def upcoming_events_for(user) -> QuerySet[Event]:
    """Published events of the user's territory not yet over, soonest first."""
    return (
        events_for(user)
        .filter(state=Event.State.PUBLISHED, ends_at__gt=timezone.now())
        .order_by("starts_at", "id")
    )


# -- the funnel (hirfa.outreach.funnel; decision 46) --------------------------------------

# Events whose funnel means something: those announced or held (not drafts, not cancelled).
FUNNEL_STATES = (Event.State.PUBLISHED, Event.State.HELD, Event.State.CLOSED)


def event_funnel(event: Event) -> funnel.Funnel:
    """The funnel of one event (already read through `event_for`, hence in scope)."""
    return funnel.funnel(events=[event.pk])


def compared_events(user, *, organiser=None, kind: str = "") -> QuerySet[Event]:
    """The user's events that have a funnel, newest first, of one organiser (a chamber) and
    one kind when given."""
    events = events_for(user).filter(state__in=FUNNEL_STATES)
    if organiser is not None:
        events = events.filter(organiser=organiser)
    if kind:
        events = events.filter(kind=kind)
    return events.order_by("-starts_at", "-id")


def organisers_for(user) -> QuerySet[Organisation]:
    """The bodies (chambers above all) organising the events the user reads."""
    return Organisation.objects.filter(
        pk__in=events_for(user).filter(state__in=FUNNEL_STATES).values("organiser_id")
    ).order_by("code")


def organiser_for(user, pk) -> Organisation | None:
    try:
        return organisers_for(user).get(pk=int(pk))
    except (Organisation.DoesNotExist, ValueError, TypeError):
        return None


def funnel_of(events: QuerySet[Event]) -> funnel.Funnel:
    """One funnel for a set of events (a chamber's, a kind's): no split, a handful of
    queries."""
    return funnel.funnel(events=events.values("pk"), splits=())


def funnels_by_event(events: QuerySet[Event]) -> dict[int, dict[str, int]]:
    return funnel.by_event(events.values("pk"))
