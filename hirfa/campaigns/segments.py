"""A campaign's segment: its criteria, checked against the user's territory, and the persons
they select, as one query (decision 44).

A person is in the segment when one of their registrations matches every criterion on
registrations (territory, branch or activity, category, status, AMO, card) — or, with
`stalled_days`, one of their first-registration applications started that many days ago
is still a draft — and, with `event`, they were checked in at that event. Only persons
who consented and did not opt out are ever selected, and only those reachable on the
campaign's channel.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.selectors import Scope, restrict_to_scope
from hirfa.campaigns.models import OptOut
from hirfa.cards.models import Card
from hirfa.core.errors import DomainError, Forbidden
from hirfa.coverage.models import Enrolment
from hirfa.coverage.models import State as AmoState
from hirfa.crafts.models import Activity, Branch
from hirfa.notifications.models import Channel
from hirfa.outreach.models import Attendee, Event
from hirfa.register.models import Category, Dossier, Person, Registration
from hirfa.territory.models import Commune, Province, Region

MAX_STALLED_DAYS = 3650


@dataclass(frozen=True)
class Criteria:
    region: str = ""
    province: str = ""
    commune: str = ""
    branch: str = ""
    activity: str = ""
    category: str = ""
    status: str = ""  # a Registration.Status; "" for any but struck off
    amo: str = ""  # a coverage State; "not_enrolled" also holds those never enrolled
    card_not_collected: bool = False
    stalled_days: int | None = None
    event: int | None = None

    def as_json(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value not in ("", None, False)}

    @property
    def on_registrations(self) -> bool:
        return bool(self.status or self.amo or self.card_not_collected)


def _refuse(field: str, message) -> DomainError:
    return DomainError(message, fields={field: [message]})


def _text(raw: dict, name: str) -> str:
    value = raw.get(name)
    return "" if value in (None, "") else str(value).strip()[:40]


def clean(raw: dict, scope: Scope, *, events: QuerySet[Event]) -> Criteria:
    """The criteria of a form or a stored campaign, checked; DomainError (or Forbidden for a
    place outside `scope`) naming the field otherwise. `events` are those the user sees."""
    raw = raw or {}
    values = {name: _text(raw, name) for name in ("region", "province", "commune")}
    for name, model in (("region", Region), ("province", Province), ("commune", Commune)):
        if values[name] and not model.objects.filter(code=values[name]).exists():
            raise _refuse(name, _("Choose a place from the list."))
    place = _place(values)
    if place is not None and not _within(place, scope):
        raise Forbidden(_("This place is outside your territory."))
    branch, activity = _text(raw, "branch"), _text(raw, "activity")
    if branch and not Branch.objects.filter(code=branch).exists():
        raise _refuse("branch", _("Choose a branch from the list."))
    if activity and not Activity.objects.filter(code=activity).exists():
        raise _refuse("activity", _("Choose an activity from the list."))
    category, status, amo = _text(raw, "category"), _text(raw, "status"), _text(raw, "amo")
    if category and category not in Category.values:
        raise _refuse("category", _("Choose a category from the list."))
    if status and status not in Registration.Status.values:
        raise _refuse("status", _("Choose a registration state from the list."))
    if amo and amo not in AmoState.values:
        raise _refuse("amo", _("Choose an AMO state from the list."))
    card = str(raw.get("card_not_collected") or "").lower() in ("1", "true", "on", "yes")
    stalled = _days(raw.get("stalled_days"))
    event = _event(raw.get("event"), events)
    criteria = Criteria(
        **values,
        branch=branch,
        activity=activity,
        category=category,
        status=status,
        amo=amo,
        card_not_collected=card,
        stalled_days=stalled,
        event=event,
    )
    if stalled is not None and criteria.on_registrations:
        raise _refuse(
            "stalled_days",
            _(
                "An application not yet submitted has no registration: leave the registration, "
                "AMO and card criteria empty."
            ),
        )
    return criteria


def _days(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        days = int(str(value).strip())
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_STALLED_DAYS:
        raise _refuse("stalled_days", _("Give a number of days between 0 and 3650."))
    return days


def _event(value, events: QuerySet[Event]) -> int | None:
    if value in (None, ""):
        return None
    try:
        pk = int(str(value).strip())
    except ValueError:
        pk = 0
    if not events.filter(pk=pk).exists():
        raise _refuse("event", _("Choose an event of your territory."))
    return pk


def _place(values: dict):
    if values["commune"]:
        return Commune.objects.select_related("province").get(code=values["commune"]).province
    if values["province"]:
        return Province.objects.get(code=values["province"])
    if values["region"]:
        return Region.objects.get(code=values["region"])
    return None


def _within(place, scope: Scope) -> bool:
    if scope.national:
        return True
    if isinstance(place, Region):
        return scope.region_id == place.id
    if scope.province_id:
        return place.id == scope.province_id
    return bool(scope.region_id) and place.region_id == scope.region_id


def _id_of(model, code: str) -> Subquery:
    """The id of the row of `model` with `code`, as a scalar subquery: the planner then
    reads the records by that id through their index, instead of guessing from a join on
    the code (PostgreSQL walked a craft's registrations across the country)."""
    return Subquery(model.objects.filter(code=code).values("pk")[:1])


def _records(model, criteria: Criteria, scope: Scope) -> QuerySet:
    """Rows of `model` (registrations or dossiers) of the place and craft given, filtered by
    their own indexed columns (province first): the segment is driven from them, never
    from a scan of the persons (decision 70)."""
    rows = restrict_to_scope(model.objects.filter(person__isnull=False), scope)
    if criteria.commune:
        rows = rows.filter(workplace_commune_id=_id_of(Commune, criteria.commune))
    if criteria.province:
        rows = rows.filter(province_id=_id_of(Province, criteria.province))
    if criteria.region:
        rows = rows.filter(province__region_id=_id_of(Region, criteria.region))
    if criteria.activity:
        rows = rows.filter(principal_activity_id=_id_of(Activity, criteria.activity))
    if criteria.branch:
        rows = rows.filter(principal_activity__branch_id=_id_of(Branch, criteria.branch))
    if criteria.category:
        rows = rows.filter(category=criteria.category)
    return rows


def consented() -> Q:
    """Persons who accepted to be contacted: on filing (the dossier's consent) or at an
    event's door (the attendee's), decision 44."""
    return Q(Exists(Dossier.objects.filter(person=OuterRef("pk"), consent_at__isnull=False))) | Q(
        Exists(Attendee.objects.filter(person=OuterRef("pk"), consent_at__isnull=False))
    )


def opted_out(channel: str) -> Q:
    address = "phone" if channel == Channel.SMS else "email"
    return Q(Exists(OptOut.objects.filter(person=OuterRef("pk")))) | Q(
        Exists(OptOut.objects.filter(address=OuterRef(address)))
    )


def _registrations(criteria: Criteria, scope: Scope) -> QuerySet:
    registrations = _records(Registration, criteria, scope)
    if criteria.status:
        registrations = registrations.filter(status=criteria.status)
    else:
        registrations = registrations.exclude(status=Registration.Status.STRUCK_OFF)
    if criteria.amo:
        # The registration's own enrolment, read by its key for each registration: as a
        # (NOT) EXISTS, PostgreSQL hashed every enrolment of the country for one province.
        # Never enrolled counts as not enrolled.
        state = Subquery(Enrolment.objects.filter(registration=OuterRef("pk")).values("state")[:1])
        registrations = registrations.annotate(
            amo_state=Coalesce(state, Value(AmoState.NOT_ENROLLED))
        ).filter(amo_state=criteria.amo)
    if criteria.card_not_collected:
        # Driven from the cards waiting at a chamber: few, in their own partial index.
        waiting = Card.objects.filter(
            status=Card.Status.CURRENT, print_state=Card.PrintState.PRINTED
        )
        registrations = registrations.filter(pk__in=waiting.values("registration_id"))
    return registrations


def persons(criteria: Criteria, scope: Scope, *, channel: str, now: datetime) -> QuerySet:
    """The persons of the segment who may receive a campaign message on `channel`.

    The persons are those whose ids the matching registrations (or stalled applications)
    give: the database reads those rows by their province, then each person by its key.
    """
    if criteria.stalled_days is not None:
        records = _records(Dossier, criteria, scope).filter(
            kind=Dossier.Kind.REGISTRATION,
            state=Dossier.State.DRAFT,
            created_at__lte=now - timedelta(days=criteria.stalled_days),
        )
    else:
        records = _registrations(criteria, scope)
    people = Person.objects.filter(pk__in=records.values("person_id"))
    if criteria.event is not None:
        came = Attendee.objects.filter(
            person=OuterRef("pk"), event_id=criteria.event, checked_in_at__isnull=False
        )
        people = people.filter(Exists(came))
    address = "phone" if channel == Channel.SMS else "email"
    return people.exclude(**{address: ""}).filter(consented()).exclude(opted_out(channel))
