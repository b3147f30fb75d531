"""Reads on the register, always through the user's territorial scope."""

from datetime import timedelta

from django.db.models import Count, QuerySet
from django.utils import timezone

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import (
    Scope,
    provinces_for,
    restrict_to_scope,
    scope_of,
)
from hirfa.audit.access import seen, seen_id
from hirfa.core.errors import NotFound
from hirfa.core.prepared import Prepared
from hirfa.register.models import (
    DocumentRequirement,
    Dossier,
    LegalEntity,
    Person,
    Registration,
)
from hirfa.register.rules import OPEN_STATES


def province_in_scope(user, province) -> bool:
    return provinces_for(user).filter(pk=province.pk).exists()


def _staff_may_see(user) -> bool:
    return has_capability(user, Capability.VIEW_WORKSPACE)


def access_of(user) -> tuple[str, int]:
    """Which registrations and dossiers a user sees, as (kind, id): ("own", the user's id)
    for an artisan, ("national", 0), ("region", its id) or ("province", its id) for staff,
    ("none", 0) for anyone else. `registrations_for` and `dossiers_for` are
    `registrations_seen(*access_of(user))` and `dossiers_seen(...)`: a read compiled once
    (`hirfa.core.prepared`) takes the kind as its shape and the id as a value."""
    if has_capability(user, Capability.HOLD_OWN_FILE):
        return ("own", user.pk)
    if not _staff_may_see(user):
        return ("none", 0)
    scope = scope_of(user)
    if scope.national:
        return ("national", 0)
    if scope.region_id:
        return ("region", scope.region_id)
    if scope.province_id:
        return ("province", scope.province_id)
    return ("none", 0)


def _seen(base: QuerySet, kind: str, area: int) -> QuerySet:
    if kind == "own":
        return base.filter(person__user=area)
    scope = Scope(
        national=kind == "national",
        region_id=area if kind == "region" else None,
        province_id=area if kind == "province" else None,
    )
    return restrict_to_scope(base, scope)


def dossiers_seen(kind: str, area: int) -> QuerySet[Dossier]:
    """The dossiers of an access (`access_of`)."""
    base = Dossier.objects.select_related(
        "person", "entity", "principal_activity", "province", "workplace_commune", "registration"
    )
    return _seen(base, kind, area)


def dossiers_for(user) -> QuerySet[Dossier]:
    """Dossiers a user may see: their own as an artisan, their territory's as staff."""
    return dossiers_seen(*access_of(user))


def dossier_for(user, pk) -> Dossier:
    """A dossier in the user's scope; its registrant's data is read (and logged as read)."""
    try:
        dossier = dossiers_for(user).get(pk=int(pk))
    except (Dossier.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    seen(dossier.person or dossier.entity, province_code=dossier.province.code)
    return dossier


def registrants_shown(rows) -> None:
    """The rows of a list page (dossiers or registrations): their registrants are read."""
    for row in rows:
        seen(row.person or row.entity, province_code=row.province.code)


def registrants_shown_by_id(rows) -> None:
    """`registrants_shown` for rows read as values: (person id, entity id, province code)."""
    for person_id, entity_id, province_code in rows:
        if person_id is not None:
            seen_id(Person, person_id, province_code=province_code)
        else:
            seen_id(LegalEntity, entity_id, province_code=province_code)


# The dossier's own columns, and of its applicant and province only what a decision
# reads (who to notify, and where).
DECISION_COLUMNS = [
    *(field.name for field in Dossier._meta.concrete_fields),
    "person__user",
    "person__phone",
    "person__email",
    "person__user__phone",
    "person__user__email",
    "person__user__is_active",
    "province__code",
]


def _to_decide(shape: tuple, pk: int, area: int) -> QuerySet[Dossier]:
    national, by_region, by_province = shape
    scope = Scope(
        national=national,
        region_id=area if by_region else None,
        province_id=area if by_province else None,
    )
    return restrict_to_scope(
        Dossier.objects.select_for_update(of=("self",))
        .select_related("person__user", "province")
        .only(*DECISION_COLUMNS)
        .filter(pk=pk),
        scope,
    )


# Compiled once per shape of scope (decision 81): building the query cost most of the read.
_TO_DECIDE = Prepared(_to_decide, int, int)


def dossier_to_decide(user, pk) -> Dossier:
    """A dossier in the user's scope, locked for a decision, with only what deciding needs.

    Lean on purpose: approving is the register's hottest write.
    """
    scope = scope_of(user)
    shape = (scope.national, bool(scope.region_id), bool(scope.province_id))
    try:
        pk = int(pk)
    except (ValueError, TypeError, OverflowError):
        raise NotFound() from None
    # Out of the id column's range, it is no dossier (the ORM's lookup would say so too).
    found = (
        _TO_DECIDE.fetch(shape, pk, scope.region_id or scope.province_id or 0)
        if abs(pk) < 2**63
        else []
    )
    if not found:
        raise NotFound()
    return found[0]


def review_queue(
    user,
    *,
    state: str | None = None,
    activity: str | None = None,
    commune: str | None = None,
    older_than_days: int | None = None,
) -> QuerySet[Dossier]:
    """Files waiting for a decision, oldest first."""
    if not has_capability(user, Capability.REVIEW):
        return Dossier.objects.none()
    queue = dossiers_for(user).exclude(state=Dossier.State.DRAFT)
    queue = queue.filter(state=state) if state else queue.filter(state__in=OPEN_STATES)
    if activity:
        queue = queue.filter(principal_activity__code=activity)
    if commune:
        queue = queue.filter(workplace_commune__code=commune)
    if older_than_days:
        queue = queue.filter(submitted_at__lte=timezone.now() - timedelta(days=older_than_days))
    return queue.order_by("submitted_at", "id")


def counts_by_state(user) -> dict[str, int]:
    rows = dossiers_for(user).values("state").annotate(n=Count("id"))
    counts = {state: 0 for state in Dossier.State.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def registrations_seen(kind: str, area: int) -> QuerySet[Registration]:
    """The registrations of an access (`access_of`)."""
    base = Registration.objects.select_related(
        "person", "entity", "principal_activity", "province", "workplace_commune"
    )
    return _seen(base, kind, area)


def registrations_for(user) -> QuerySet[Registration]:
    return registrations_seen(*access_of(user))


def registration_for(user, number: str) -> Registration:
    """A registration in the user's scope; its registrant's data is read (and logged)."""
    try:
        registration = registrations_for(user).get(number=str(number))
    except Registration.DoesNotExist:
        raise NotFound() from None
    seen(registration.person or registration.entity, province_code=registration.province.code)
    return registration


def registration_by_number(number: str) -> Registration | None:
    """For public checks: the registration with this (valid) number, or None."""
    return (
        Registration.objects.select_related("province", "principal_activity")
        .filter(number=number)
        .first()
    )


def required_documents(category: str) -> list[DocumentRequirement]:
    return list(DocumentRequirement.objects.filter(category=category))


def missing_documents(dossier: Dossier) -> list[DocumentRequirement]:
    # A renewal changes nothing but the validity: the documents on file still hold.
    if dossier.kind == Dossier.Kind.RENEWAL:
        return []
    attached = set(dossier.documents.values_list("kind", flat=True))
    return [
        r for r in required_documents(dossier.category) if r.required and r.code not in attached
    ]


def current_dossier_of(user) -> Dossier | None:
    """The artisan's most recent file."""
    return dossiers_for(user).order_by("-created_at", "-id").first()


def current_registration_of(user) -> Registration | None:
    """The most recent registration in the user's reach: an artisan's own (the one place
    that answers "my registration")."""
    return registrations_for(user).order_by("-created_at", "-id").first()


def is_national(user) -> bool:
    return scope_of(user).national


def pending_for_agent(user) -> QuerySet[Dossier]:
    """Files an agent filed and that are not decided yet."""
    return dossiers_for(user).filter(filed_by=user, state__in=OPEN_STATES).order_by("-created_at")


def decisions_since(user, since) -> QuerySet[Dossier]:
    """Dossiers of the user's territory decided (approved or rejected) since `since`."""
    return dossiers_for(user).filter(
        decided_at__gte=since, state__in=[Dossier.State.APPROVED, Dossier.State.REJECTED]
    )


def registrations_since(user, since) -> QuerySet[Registration]:
    """Registrations of the user's territory entered in the register on or after `since`."""
    return registrations_for(user).filter(registered_on__gte=since)


def registrations_by_status(user) -> dict[str, int]:
    rows = registrations_for(user).order_by().values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in Registration.Status.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
