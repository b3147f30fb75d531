"""Reads of the field app: the offline reference data of an agent, their items, the items
needing attention in a territory (territorial scope applied here only)."""

import hashlib
import hmac

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from hirfa.accounts.selectors import provinces_for, scope_of
from hirfa.crafts.models import Activity
from hirfa.field.models import FieldAttachment, FieldItem
from hirfa.outreach.models import Event
from hirfa.outreach.selectors import events_for
from hirfa.register.forms import activity_choices, grouped_commune_choices
from hirfa.register.models import Category, DocumentRequirement, Education, Sex, WorkplaceKind
from hirfa.register.views.common import in_scope_communes
from hirfa.territory.models import Commune


def agent_key(user) -> str:
    """A name for the agent's offline store that reveals nothing about them: the same on
    every login of the same agent (their outbox survives a new login), different for every
    agent (nothing of one is opened for another)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"field:{user.pk}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def todays_events(user) -> QuerySet[Event]:
    """Events of the agent's territory open at the door today (the outreach issue's)."""
    today = timezone.localdate()
    return (
        events_for(user)
        .filter(state__in=(Event.State.PUBLISHED, Event.State.HELD))
        .filter(starts_at__date__lte=today, ends_at__date__gte=today)
        .order_by("starts_at", "id")
    )


def event_for_field(user, pk) -> Event | None:
    try:
        return events_for(user).get(pk=int(pk))
    except (Event.DoesNotExist, TypeError, ValueError, OverflowError):
        return None


def reference_data(user) -> dict:
    """What the field app needs offline, in the active language: the choices of the forms,
    the nomenclature, the communes of the agent's provinces, the documents asked per
    category and the events of the day."""
    documents: dict[str, list] = {}
    for requirement in DocumentRequirement.objects.filter(
        category__in=[c for c, _n in Category.choices]
    ):
        documents.setdefault(requirement.category, []).append(
            {"code": requirement.code, "name": requirement.name, "required": requirement.required}
        )
    return {
        "agent": agent_key(user),
        "categories": [
            {"code": code, "name": str(name)}
            for code, name in Category.choices
            if code in documents and code not in ("cooperative", "enterprise")
        ],
        "activities": [
            {"branch": str(branch), "items": [{"code": c, "name": n} for c, n in items]}
            for branch, items in activity_choices(with_codes=True)
        ],
        "communes": [
            {"province": str(province), "items": [{"code": c, "name": n} for c, n in items]}
            for province, items in grouped_commune_choices(in_scope_communes(user))
        ],
        "sexes": [{"code": c, "name": str(n)} for c, n in Sex.choices],
        "educations": [{"code": c, "name": str(n)} for c, n in Education.choices],
        "workplaces": [{"code": c, "name": str(n)} for c, n in WorkplaceKind.choices],
        "documents": documents,
        "events": [
            {"id": event.pk, "name": event.name, "venue": event.venue}
            for event in todays_events(user)
        ],
        "offline_days": settings.FIELD_OFFLINE_DAYS,
        "warn_days": settings.FIELD_OFFLINE_WARN_DAYS,
        "max_bytes": settings.DOCUMENT_MAX_BYTES,
    }


def retired_codes(body: dict) -> list[str]:
    """The commune and activity codes of a registration that the lists no longer hold
    (retired since the phone cached them): those make the item wait for attention."""
    craft, person = body.get("craft") or {}, body.get("person") or {}
    communes = {str(code) for code in (person.get("commune"), craft.get("workplace_commune"))}
    communes.discard("None")
    activities = {str(craft.get("principal_activity"))}
    activities.update(str(code) for code in craft.get("secondary_activities") or [])
    gone = sorted(
        communes - set(Commune.objects.filter(code__in=communes).values_list("code", flat=True))
    )
    gone += sorted(
        Activity.objects.filter(code__in=activities, is_active=False).values_list("code", flat=True)
    )
    return gone


def items_of(agent) -> QuerySet[FieldItem]:
    """The agent's own items as the server keeps them, newest first."""
    return FieldItem.objects.filter(agent=agent).order_by("-id")


def item_of(agent, uuid) -> FieldItem | None:
    return FieldItem.objects.filter(agent=agent, uuid=uuid).first()


def staged_attachments(agent, uuids) -> dict[str, FieldAttachment]:
    """The agent's staged photos among `uuids`, by id (another agent's are not found)."""
    rows = FieldAttachment.objects.filter(uploaded_by=agent, uuid__in=list(uuids))
    return {str(row.uuid): row for row in rows}


def attention_for(user) -> QuerySet[FieldItem]:
    """Items that need attention, not settled, in the user's territory (agents see their
    own too, wherever they are), newest first."""
    items = FieldItem.objects.filter(
        state=FieldItem.State.ATTENTION, settled_at__isnull=True
    ).select_related("agent", "dossier")
    if scope_of(user).national:
        return items.order_by("-id")
    codes = provinces_for(user).values("code")
    return items.filter(Q(province_code__in=codes) | Q(agent=user)).order_by("-id")


def attention_item_for(user, pk) -> FieldItem | None:
    try:
        return attention_for(user).get(pk=int(pk))
    except (FieldItem.DoesNotExist, TypeError, ValueError, OverflowError):
        return None
