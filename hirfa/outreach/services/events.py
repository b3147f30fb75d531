"""Events and their sessions: create, change, publish, hold, close, cancel."""

from datetime import datetime

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hirfa.audit.services import record
from hirfa.core.errors import DomainError, Forbidden
from hirfa.core.languages import supported_codes
from hirfa.notifications.services import notify
from hirfa.outreach import policy
from hirfa.outreach.models import Attendee, Event, EventSession
from hirfa.register.models import Category
from hirfa.territory.models import Organisation
from hirfa.territory.services import chamber_code

FIELDS = (
    "kind",
    "name_ar",
    "name_fr",
    "name_zgh",
    "other_partners",
    "commune",
    "venue",
    "latitude",
    "longitude",
    "capacity",
    "categories",
    "languages",
    "agenda",
    "speakers",
)
RELATIONS = ("partners", "branches", "activities", "provinces")


def _refuse(field: str, message) -> DomainError:
    return DomainError(message, fields={field: [message]})


def _clean(data: dict) -> dict:
    """The event's data checked; DomainError naming the field otherwise."""
    clean = {name: data.get(name) for name in FIELDS if name in data}
    if clean.get("kind") not in Event.Kind.values:
        raise _refuse("kind", _("Choose the kind of event."))
    for name in ("name_ar", "name_fr", "venue"):
        clean[name] = " ".join(str(clean.get(name) or "").split())
        if not clean[name]:
            raise _refuse(name, _("This field is required."))
    if clean.get("commune") is None:
        raise _refuse("commune", _("This field is required."))
    capacity = clean.get("capacity")
    if capacity is not None and capacity != "":
        try:
            capacity = int(capacity)
        except (TypeError, ValueError):
            capacity = -1
        if capacity < 0:
            raise _refuse("capacity", _("The capacity must be a whole number, 0 or more."))
    clean["capacity"] = capacity if capacity != "" else None
    categories = list(clean.get("categories") or [])
    if any(value not in Category.values for value in categories):
        raise _refuse("categories", _("Choose categories from the list."))
    clean["categories"] = categories
    languages = list(clean.get("languages") or [])
    if any(code not in supported_codes() for code in languages):
        raise _refuse("languages", _("Choose languages from the list."))
    clean["languages"] = languages
    for name in ("latitude", "longitude"):
        value = clean.get(name)
        limit = 90 if name == "latitude" else 180
        if value not in (None, "") and not -limit <= float(value) <= limit:
            raise _refuse(name, _("This map point is not valid."))
        clean[name] = value if value != "" else None
    return clean


def _check_session(event: Event | None, starts_at: datetime, ends_at: datetime, now) -> None:
    if starts_at is None or ends_at is None:
        raise _refuse("starts_at", _("Give the start and the end of the session."))
    if ends_at <= starts_at:
        raise _refuse("ends_at", _("The session must end after it starts."))
    if starts_at <= now:
        raise _refuse("starts_at", _("This session would be in the past."))
    if (
        event is not None
        and event.sessions.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists()
    ):
        raise _refuse("starts_at", _("This session overlaps another session of the event."))


def _slug_for(name_fr: str, starts_at: datetime) -> str:
    base = f"{slugify(name_fr)[:60] or 'event'}-{timezone.localdate(starts_at):%Y-%m-%d}"
    slug, number = base, 1
    while Event.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def _refresh_dates(event: Event) -> None:
    span = event.sessions.aggregate(start=Min("starts_at"), end=Max("ends_at"))
    event.starts_at, event.ends_at = span["start"], span["end"]
    event.save(update_fields=["starts_at", "ends_at"])


def _set_relations(event: Event, data: dict) -> None:
    for name in RELATIONS:
        if name in data:
            getattr(event, name).set(data[name] or [])


def _audit(actor, action: str, event: Event, **data) -> None:
    record(
        actor=actor,
        action=action,
        obj=event,
        province_code=event.province.code,
        data=data or None,
    )


@transaction.atomic
def create_event(
    *, actor, data: dict, starts_at: datetime, ends_at: datetime, now: datetime | None = None
) -> Event:
    """A new event, a draft, with its first session; organised by the chamber of its
    region unless `data["organiser"]` names another body. `now` is for loading history."""
    clean = _clean(data)
    province = clean["commune"].province
    if not policy.may_organise_in(actor, province):
        raise Forbidden(_("This place is outside your territory."))
    _check_session(None, starts_at, ends_at, now or timezone.now())
    organiser = data.get("organiser") or Organisation.objects.get(
        code=chamber_code(province.region.code)
    )
    event = Event(**clean, province=province, region=province.region, organiser=organiser)
    event.slug = _slug_for(clean["name_fr"], starts_at)
    event.created_by = actor
    event.save()
    _set_relations(event, data)
    EventSession.objects.create(event=event, starts_at=starts_at, ends_at=ends_at)
    _refresh_dates(event)
    _audit(actor, "event.created", event, kind=event.kind)
    return event


def _require_manager(actor, event: Event) -> None:
    if not policy.may_manage(actor, event):
        raise Forbidden()


@transaction.atomic
def update_event(*, actor, event: Event, data: dict) -> Event:
    _require_manager(actor, event)
    if not policy.may_edit(event):
        raise DomainError(_("This event can no longer be changed."), status=409)
    clean = _clean(data)
    province = clean["commune"].province
    if province.id != event.province_id and not policy.may_organise_in(actor, province):
        raise Forbidden(_("This place is outside your territory."))
    for name, value in clean.items():
        setattr(event, name, value)
    event.province, event.region = province, province.region
    event.save()
    _set_relations(event, data)
    _audit(actor, "event.changed", event)
    return event


@transaction.atomic
def add_session(
    *, actor, event: Event, starts_at: datetime, ends_at: datetime, now: datetime | None = None
) -> EventSession:
    _require_manager(actor, event)
    if not policy.may_edit(event):
        raise DomainError(_("This event can no longer be changed."), status=409)
    Event.objects.select_for_update().filter(pk=event.pk).first()
    _check_session(event, starts_at, ends_at, now or timezone.now())
    session = EventSession.objects.create(event=event, starts_at=starts_at, ends_at=ends_at)
    _refresh_dates(event)
    _audit(actor, "event.session_added", event, starts_at=starts_at, ends_at=ends_at)
    return session


@transaction.atomic
def remove_session(*, actor, event: Event, session_id: int) -> None:
    _require_manager(actor, event)
    if not policy.may_edit(event):
        raise DomainError(_("This event can no longer be changed."), status=409)
    if event.sessions.count() <= 1:
        raise DomainError(_("An event keeps at least one session."), status=409)
    event.sessions.filter(pk=session_id).delete()
    _refresh_dates(event)
    _audit(actor, "event.session_removed", event, session=session_id)


def _move(actor, event: Event, to: str, **data) -> Event:
    _require_manager(actor, event)
    locked = Event.objects.select_for_update().select_related("province").get(pk=event.pk)
    if not policy.may_move(locked, to):
        raise DomainError(
            _("An event that is %(state)s cannot become %(to)s.")
            % {"state": locked.get_state_display(), "to": Event.State(to).label},
            code="bad_transition",
            status=409,
        )
    before = locked.state
    locked.state = to
    for name, value in data.items():
        setattr(locked, name, value)
    locked.save(update_fields=["state", *data])
    _audit(actor, f"event.{to}", locked, **{"from": before, "to": to})
    event.refresh_from_db()
    return locked


@transaction.atomic
def publish(*, actor, event: Event, now: datetime | None = None) -> Event:
    """Show the event to the public and open the sign-up."""
    if event.starts_at is None or event.starts_at <= (now or timezone.now()):
        raise _refuse("starts_at", _("This event has already started: it cannot be published."))
    return _move(actor, event, Event.State.PUBLISHED)


@transaction.atomic
def mark_held(*, actor, event: Event, now: datetime | None = None) -> Event:
    if event.starts_at is None or event.starts_at > (now or timezone.now()):
        raise DomainError(_("The event has not started yet."), status=409)
    return _move(actor, event, Event.State.HELD)


@transaction.atomic
def close(*, actor, event: Event, report: str) -> Event:
    """Close a held event with a short report of what happened."""
    report = str(report or "").strip()
    if not report:
        raise _refuse("report", _("Write a short report to close the event."))
    return _move(actor, event, Event.State.CLOSED, report=report[:5000])


CANCELLED_SMS = gettext_lazy("%(event)s on %(date)s is cancelled. We are sorry.")


@transaction.atomic
def cancel(*, actor, event: Event) -> Event:
    """Cancel the event; those signed up or waiting are told by SMS."""
    event = _move(actor, event, Event.State.CANCELLED)
    for attendee in event.attendees.filter(
        status__in=[Attendee.Status.SIGNED_UP, Attendee.Status.WAITING]
    ).exclude(phone=""):
        notify(
            phone=attendee.phone,
            event="outreach.cancelled",
            subject=gettext_lazy("National Register of Traditional Crafts"),
            body=lambda: (
                CANCELLED_SMS
                % {"event": event.name, "date": timezone.localdate(event.starts_at).isoformat()}
            ),
            language=attendee.language,
        )
    return event
