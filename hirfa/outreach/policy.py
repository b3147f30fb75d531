"""Every "may / can / is due" of outreach events.

Chamber agents (those who file for artisans, `FILE_ASSISTED`) manage the events of their
territory: an agent of a region those of the region, an agent of a province those of the
province. Other staff with a workspace (officers, the CNSS liaison) read the events of
their territory through `selectors`; the public sees published events only.
"""

from datetime import datetime, timedelta

from django.utils import timezone

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import scope_of
from hirfa.outreach.models import Attendee, Event

State = Event.State

# Each state, and the states a service may move it to.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.PUBLISHED, State.CANCELLED}),
    State.PUBLISHED: frozenset({State.HELD, State.CANCELLED}),
    State.HELD: frozenset({State.CLOSED}),
    State.CLOSED: frozenset(),
    State.CANCELLED: frozenset(),
}

# States shown to the public (a draft is not; a cancelled event still says so).
PUBLIC_STATES = (State.PUBLISHED, State.HELD, State.CLOSED, State.CANCELLED)
# Reminders go out this long before an event's start.
REMINDER_AHEAD = timedelta(days=1)


def may_create_events(user) -> bool:
    return has_capability(user, Capability.FILE_ASSISTED) and not scope_of(user).empty


def may_organise_in(user, province) -> bool:
    """May `user` hold an event in `province`?"""
    if not has_capability(user, Capability.FILE_ASSISTED):
        return False
    scope = scope_of(user)
    if scope.national:
        return True
    if scope.region_id:
        return province.region_id == scope.region_id
    return bool(scope.province_id) and province.id == scope.province_id


def may_manage(user, event: Event) -> bool:
    """Change the event, its sessions, its attendees, questions and services."""
    if not has_capability(user, Capability.FILE_ASSISTED):
        return False
    scope = scope_of(user)
    if scope.national:
        return True
    if scope.region_id:
        return event.region_id == scope.region_id
    return bool(scope.province_id) and event.province_id == scope.province_id


def may_move(event: Event, to: str) -> bool:
    return to in TRANSITIONS.get(event.state, frozenset())


def may_edit(event: Event) -> bool:
    """Details and sessions change while the event is still to come."""
    return event.state in (State.DRAFT, State.PUBLISHED)


def is_open_for_sign_up(event: Event, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return event.state == State.PUBLISHED and event.ends_at is not None and event.ends_at > now


def is_open_at_the_door(event: Event) -> bool:
    return event.state in (State.PUBLISHED, State.HELD)


def is_full(event: Event, taken: int) -> bool:
    return event.capacity is not None and taken >= event.capacity


def holds_a_seat(attendee: Attendee) -> bool:
    return attendee.status == Attendee.Status.SIGNED_UP


def is_due_a_reminder(attendee: Attendee, event: Event, now: datetime) -> bool:
    return (
        attendee.status == Attendee.Status.SIGNED_UP
        and attendee.reminded_at is None
        and bool(attendee.phone)
        and event.state == State.PUBLISHED
        and event.starts_at is not None
        and now < event.starts_at <= now + REMINDER_AHEAD
    )
