"""Reads on the health coverage: what to send to the CNSS, what an artisan or staff sees."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db.models import Count, F, Q, QuerySet, Sum

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import restrict
from hirfa.audit.access import seen
from hirfa.core.errors import NotFound
from hirfa.coverage import policy
from hirfa.coverage.models import ContributionRate, Dependant, Enrolment, State
from hirfa.register.models import NATURAL_PERSON_CATEGORIES, Registration
from hirfa.register.selectors import registrations_for

CHUNK = 2000
# States in which the CNSS knows the insured (dependants can be sent).
KNOWN_TO_CNSS = (State.IMMATRICULATED, State.RIGHTS_OPEN, State.SUSPENDED)


class PreRegistration(NamedTuple):
    """What the CNSS needs to pre-register an artisan (docs/cnss-exchange.md). A named
    tuple: a batch builds 500,000 of them, and a frozen dataclass costs four times more."""

    number: str
    cnie: str
    first_name_ar: str
    last_name_ar: str
    first_name_latin: str
    last_name_latin: str
    sex: str
    birth_date: date
    phone: str
    province_code: str
    commune_code: str
    category: str
    activity_code: str
    approved_on: date


@dataclass(frozen=True)
class DependantRecord:
    number: str
    dependant_id: int
    relation: str
    first_name_ar: str
    last_name_ar: str
    first_name_latin: str
    last_name_latin: str
    birth_date: date
    cnie: str
    student: bool
    disabled: bool
    eligible_until: date | None


def not_enrolled() -> QuerySet[Registration]:
    """Active registrations of persons waiting to be sent for pre-registration.

    Without an enrolment row (a new approval: "queued" by being here, ADR 0015), or sent
    back by a CNSS rejection and corrected since (the person's data changed after it).
    """
    waiting = Q(enrolment__isnull=True) | (
        Q(enrolment__state=State.NOT_ENROLLED)
        & (
            Q(enrolment__rejected_at__isnull=True)
            | Q(person__updated_at__gt=F("enrolment__rejected_at"))
        )
    )
    return Registration.objects.filter(
        waiting,
        status=Registration.Status.ACTIVE,
        person__isnull=False,
        category__in=NATURAL_PERSON_CATEGORIES,
    )


_PRE_REGISTRATION_COLUMNS = {
    "number": "number",
    "cnie": "person__cnie",
    "first_name_ar": "person__first_name_ar",
    "last_name_ar": "person__last_name_ar",
    "first_name_latin": "person__first_name_latin",
    "last_name_latin": "person__last_name_latin",
    "sex": "person__sex",
    "birth_date": "person__birth_date",
    "phone": "person__phone",
    "province_code": "province__code",
    "commune_code": "person__commune__code",
    "category": "category",
    "activity_code": "principal_activity__code",
    "approved_on": "registered_on",
}


def to_pre_register(limit: int | None = None) -> Iterator[PreRegistration]:
    """Every artisan in the "not enrolled" state, by registration number, streamed."""
    rows = not_enrolled().order_by("number").values_list(*_PRE_REGISTRATION_COLUMNS.values())
    if limit is not None:
        rows = rows[:limit]
    for row in rows.iterator(chunk_size=CHUNK):
        yield PreRegistration(*row)


def dependants_to_send() -> QuerySet[Dependant]:
    """Confirmed (or since ended) dependants the CNSS has not heard about in their present form."""
    return Dependant.objects.filter(
        Q(sent_at__isnull=True) | Q(changed_at__gt=F("sent_at")),
        state__in=[Dependant.State.CONFIRMED, Dependant.State.ACCEPTED, Dependant.State.ENDED],
        registration__enrolment__state__in=KNOWN_TO_CNSS,
    )


def dependant_updates(limit: int | None = None) -> Iterator[DependantRecord]:
    """Dependant records not yet sent, or changed since they were sent, streamed."""
    rows = (
        dependants_to_send()
        .order_by("id")
        .values_list(
            "registration__number",
            "id",
            "relation",
            "first_name_ar",
            "last_name_ar",
            "first_name_latin",
            "last_name_latin",
            "birth_date",
            "cnie",
            "student",
            "disabled",
            "eligible_until",
        )
    )
    if limit is not None:
        rows = rows[:limit]
    for row in rows.iterator(chunk_size=CHUNK):
        yield DependantRecord(*row)


# --- What people see ----------------------------------------------------------------------


def enrolment_of(registration: Registration) -> Enrolment | None:
    return Enrolment.objects.filter(registration=registration).first()


def dependants_of(registration: Registration) -> QuerySet[Dependant]:
    return Dependant.objects.filter(registration=registration).prefetch_related("documents")


def schedule() -> QuerySet[ContributionRate]:
    return ContributionRate.objects.order_by("category", "-starts_on")


def rate_for(category: str, month: date) -> ContributionRate | None:
    """The schedule row in force for `category` in the month of `month`."""
    first = month.replace(day=1)
    return (
        ContributionRate.objects.filter(category=category, starts_on__lte=first)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=first))
        .order_by("-starts_on")
        .first()
    )


def artisan_registration_for(user, number) -> Registration:
    """A natural person's registration the user may see (their own, or in their territory)."""
    registration = (
        registrations_for(user).filter(number=str(number)[:20], person__isnull=False).first()
    )
    if registration is None:
        raise NotFound()
    seen(registration.person, province_code=registration.province.code)
    return registration


def dependant_for(user, pk) -> Dependant:
    """A dependant the user may see: of their own registration, or of their territory."""
    if policy.holds_own_file(user):
        dependants = Dependant.objects.filter(registration__person__user=user)
    else:
        dependants = restrict(Dependant.objects.all(), user, via="registration__province")
    try:
        dependant = dependants.select_related("registration__person", "registration__province").get(
            pk=int(pk)
        )
    except (Dependant.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound() from None
    seen(dependant, province_code=dependant.registration.province.code)
    return dependant


def dependants_to_confirm(user) -> QuerySet[Dependant]:
    """Declared dependants waiting for an agent of the user's territory."""
    if not has_capability(user, Capability.FILE_ASSISTED):
        return Dependant.objects.none()
    return restrict(
        Dependant.objects.filter(state=Dependant.State.DECLARED).select_related(
            "registration__person", "registration__province"
        ),
        user,
        via="registration__province",
    ).order_by("created_at", "id")


def figures_for(user, province=None) -> dict:
    """Coverage counts and arrears of the registered persons in the user's territory."""
    registrations = restrict(
        Registration.objects.filter(
            person__isnull=False, category__in=NATURAL_PERSON_CATEGORIES
        ).exclude(status=Registration.Status.STRUCK_OFF),
        user,
    )
    enrolments = restrict(Enrolment.objects.all(), user, via="registration__province")
    if province is not None:
        registrations = registrations.filter(province=province)
        enrolments = enrolments.filter(registration__province=province)
    by_state = {state: 0 for state in State.values}
    for row in enrolments.values("state").annotate(n=Count("id")):
        by_state[row["state"]] = row["n"]
    total = registrations.count()
    with_row = registrations.filter(enrolment__isnull=False).count()
    by_state[State.NOT_ENROLLED] += total - with_row
    money = enrolments.aggregate(arrears=Sum("arrears"))
    per_province = (
        enrolments.values(
            "registration__province__code",
            "registration__province__name_fr",
            "registration__province__name_ar",
        )
        .annotate(
            covered=Count("id", filter=Q(state=State.RIGHTS_OPEN)),
            suspended=Count("id", filter=Q(state=State.SUSPENDED)),
            arrears=Sum("arrears"),
        )
        .order_by("registration__province__code")
    )
    return {
        "registered": total,
        "by_state": by_state,
        "arrears": money["arrears"] or 0,
        "per_province": list(per_province),
        "dependants": restrict(
            Dependant.objects.filter(
                state__in=[Dependant.State.CONFIRMED, Dependant.State.ACCEPTED]
            ),
            user,
            via="registration__province",
        ).count(),
    }


def enrolments_by_state(user) -> dict[str, int]:
    """AMO enrolments of the user's territory, by state ."""
    rows = (
        restrict(Enrolment.objects.all(), user, via="registration__province")
        .order_by()
        .values("state")
        .annotate(n=Count("id"))
    )
    counts = {state: 0 for state in State.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts


def dependants_shown(dependants) -> list:
    """The dependants of a list page, read (and logged as read): the page's rows."""
    rows = list(dependants)
    for dependant in rows:
        seen(dependant, province_code=dependant.registration.province.code)
    return rows
