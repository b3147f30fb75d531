"""The outreach funnel, computed in the database for any set of events or persons.

signed up → attended → application started → submitted → approved → card handed over →
AMO enrolled → rights open (docs/outreach.md, decision 46).

The first two steps count people at events (`Attendee` rows, one per phone, CNIE or row:
walk-ins sign up at the door); the other six count the persons whose first-registration
application is in the set: for events, the applications *credited* to them by the
attribution rule (`credited`); for a set of persons, their applications started since a
date. A person's steps are dated: the median days between two steps is a database median
(`core.aggregates.Median`), never a loop over persons in Python.

Reads only, no territorial scope: `selectors` scopes the events before calling here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hirfa.cards.models import Card
from hirfa.core.aggregates import DaysBetween, Median
from hirfa.crafts.models import Branch
from hirfa.outreach.models import Attendee, Referral
from hirfa.register.models import Dossier, Person, Sex
from hirfa.territory.models import Province

STEPS = (
    ("signed_up", _("Signed up")),
    ("attended", _("Attended")),
    ("started", _("Application started")),
    ("submitted", _("Submitted")),
    ("approved", _("Approved")),
    ("card", _("Card handed over")),
    ("enrolled", _("AMO enrolled")),
    ("rights", _("Rights open")),
)
STEP_KEYS = tuple(key for key, _label in STEPS)
PEOPLE_STEPS = STEP_KEYS[:2]
FILE_STEPS = STEP_KEYS[2:]
# The date each file step is reached, and the one it follows (for the days between them).
FILE_DATES = {
    "started": ("attended_at", "started_at"),
    "submitted": ("started_at", "submitted_on"),
    "approved": ("submitted_on", "approved_at"),
    "card": ("approved_at", "handed_over_at"),
    "enrolled": ("handed_over_at", "enrolled_on"),
    "rights": ("enrolled_on", "rights_on"),
}
SPLITS = (
    ("sex", _("Sex")),
    ("age", _("Age band")),
    ("branch", _("Branch")),
    ("province", _("Province")),
)
# Age bands: (key, first age, last age or None).
AGE_BANDS = (
    ("-24", 0, 24),
    ("25-34", 25, 34),
    ("35-44", 35, 44),
    ("45-54", 45, 54),
    ("55-64", 55, 64),
    ("65+", 65, None),
)
NOT_KNOWN = _("Not known")


def attribution_window() -> timedelta:
    return timedelta(days=settings.OUTREACH_ATTRIBUTION_DAYS)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    count: int
    rate: float | None  # of the step before, in %
    overall: float | None  # of the first step, in %
    median_days: float | None  # from the step before


@dataclass
class Funnel:
    steps: list[Step]
    # dimension -> [(label, {step: count})], the dimension's values in a stable order
    splits: dict[str, list[tuple[str, dict[str, int]]]] = field(default_factory=dict)

    def count(self, key: str) -> int:
        return next(step.count for step in self.steps if step.key == key)

    @property
    def counts(self) -> dict[str, int]:
        return {step.key: step.count for step in self.steps}


# -- attribution --------------------------------------------------------------------------


def _applicant(person_id, field: str) -> QuerySet[Person]:
    """One field of the application's person, read by its key: the funnel's queries never
    join the whole register of persons (the planner, misled by the credit's subqueries, may
    hash all of it)."""
    return Person.objects.filter(pk=person_id).values(field)[:1]


def _attendances_of_applicant(window: timedelta) -> QuerySet[Attendee]:
    """Check-ins of the outer dossier's person (by person, CNIE or phone) within the window
    before the application started, the last first."""
    return Attendee.objects.filter(
        Q(person_id=OuterRef("person_id"))
        | (Q(cnie=Subquery(_applicant(OuterRef(OuterRef("person_id")), "cnie"))) & ~Q(cnie=""))
        | (Q(phone=Subquery(_applicant(OuterRef(OuterRef("person_id")), "phone"))) & ~Q(phone="")),
        checked_in_at__isnull=False,
        checked_in_at__lte=OuterRef("created_at"),
        checked_in_at__gte=OuterRef("created_at") - window,
    ).order_by("-checked_in_at", "-id")


def credited(dossiers: QuerySet[Dossier], window: timedelta | None = None) -> QuerySet[Dossier]:
    """Annotate each application with the event credited for it (`credit_event`, null for
    none) and the check-in that earned the credit (`attended_at`): the event it was filed
    from (a `Referral`), else the last event its applicant attended within the window before
    the application started (decision 46)."""
    window = window or attribution_window()
    referral = Referral.objects.filter(dossier_id=OuterRef("pk"))
    last = _attendances_of_applicant(window)
    return dossiers.annotate(
        credit_event=Coalesce(
            Subquery(referral.values("event_id")[:1]), Subquery(last.values("event_id")[:1])
        ),
        attended_at=Coalesce(
            Subquery(referral.values("attendee__checked_in_at")[:1]),
            Subquery(last.values("checked_in_at")[:1]),
        ),
    )


# -- the rows counted ---------------------------------------------------------------------


def _ids(values):
    """A queryset of models or of values, or an iterable of ids, as an `__in` operand."""
    if isinstance(values, QuerySet):
        return values.values("pk") if values._fields is None else values
    return [int(value) for value in values]


def _people_rows(attendees: QuerySet[Attendee]) -> QuerySet[Attendee]:
    return attendees.exclude(status=Attendee.Status.PENDING).annotate(
        who=Coalesce(NullIf("phone", Value("")), NullIf("cnie", Value("")), Cast("id", CharField()))
    )


def _file_rows(dossiers: QuerySet[Dossier]) -> QuerySet[Dossier]:
    handed_over = (
        Card.objects.filter(registration_id=OuterRef("registration_id"))
        .exclude(handed_over_at=None)
        .order_by("handed_over_at")
        .values("handed_over_at")[:1]
    )
    return dossiers.annotate(
        started_at=F("created_at"),
        submitted_on=F("submitted_at"),
        approved_at=Case(When(state=Dossier.State.APPROVED, then=F("decided_at"))),
        handed_over_at=Subquery(handed_over),
        enrolled_on=F("registration__enrolment__immatriculated_on"),
        rights_on=F("registration__enrolment__rights_open_on"),
    )


def _people_counts() -> dict:
    return {
        "signed_up": Count("who", distinct=True),
        "attended": Count("who", distinct=True, filter=Q(checked_in_at__isnull=False)),
    }


def _file_counts() -> dict:
    return {
        key: Count("person_id", distinct=True, filter=Q(**{f"{FILE_DATES[key][1]}__isnull": False}))
        for key in FILE_STEPS
    }


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _age_band(birth: str, today: date) -> Case:
    whens = []
    for key, _first, last in AGE_BANDS:
        if last is None:
            whens.append(When(**{f"{birth}__isnull": False}, then=Value(key)))
        else:
            whens.append(When(**{f"{birth}__gt": _years_before(today, last + 1)}, then=Value(key)))
    return Case(*whens, default=Value(""), output_field=CharField())


def _split_keys(today: date) -> dict[str, tuple]:
    """Each split's expression on attendee rows, then on application rows. An attendee is
    known by the registration shown at the door, else by the file started from them."""
    return {
        "sex": (Coalesce("person__sex", "registration__person__sex"), F("applicant_sex")),
        "age": (_age_band("birth", today), _age_band("applicant_birth", today)),
        "branch": (
            Coalesce(
                "registration__principal_activity__branch_id",
                "referrals__dossier__principal_activity__branch_id",
            ),
            F("principal_activity__branch_id"),
        ),
        "province": (
            Coalesce("registration__province_id", "referrals__dossier__province_id"),
            F("province_id"),
        ),
    }


# -- the funnel ---------------------------------------------------------------------------


# Past this many persons, the applications are selected by a subquery rather than by a list
# of ids (SQLite takes at most 32,766 parameters in a statement).
ID_LIST_LIMIT = 5_000


def _matched(events) -> QuerySet:
    attendees = Attendee.objects.filter(event_id__in=_ids(events)).exclude(
        status=Attendee.Status.PENDING
    )
    return (
        Person.objects.filter(pk__in=attendees.values("person_id"))
        .values_list("pk")
        .union(
            Person.objects.filter(cnie__in=attendees.exclude(cnie="").values("cnie")).values_list(
                "pk"
            ),
            Person.objects.filter(
                phone__in=attendees.exclude(phone="").values("phone")
            ).values_list("pk"),
            Dossier.objects.filter(
                pk__in=Referral.objects.filter(event_id__in=_ids(events)).values("dossier_id")
            ).values_list("person_id"),
        )
    )


def matched_persons(events) -> list[int]:
    """The persons known to the events' attendees (by person, CNIE or phone) or filed from
    them: the only ones whose applications the events may be credited for (one query)."""
    return sorted({pk for (pk,) in _matched(events) if pk is not None})


@dataclass(frozen=True)
class Selection:
    """What a funnel counts: attendee rows, and application rows (credited or not)."""

    attendees: QuerySet[Attendee]
    files: QuerySet[Dossier] | None  # None: no application can be in the set


def select(*, persons=None, events=None, since=None, window=None) -> Selection:
    """The rows of a funnel. `events`: the events' attendees, and the applications credited
    to them; `persons`: their attendances (at `events` if given) and their applications;
    `since`: only sign-ups and applications from then on."""
    attendees = Attendee.objects.all()
    files = Dossier.objects.filter(kind=Dossier.Kind.REGISTRATION, person__isnull=False)
    if persons is not None:
        person_ids = _ids(persons)
        chosen = Person.objects.filter(pk__in=person_ids)
        attendees = attendees.filter(
            Q(person_id__in=person_ids)
            | Q(cnie__in=chosen.values("cnie"))
            | Q(phone__in=chosen.values("phone"))
        )
        files = files.filter(person_id__in=person_ids)
    if since is not None:
        attendees = attendees.filter(signed_up_at__gte=since)
        files = files.filter(created_at__gte=since)
    files = credited(files, window)
    if events is not None:
        attendees = attendees.filter(event_id__in=_ids(events))
        if persons is None:
            people = matched_persons(events)
            if not people:
                return Selection(attendees=attendees, files=None)
            if len(people) > ID_LIST_LIMIT:
                people = _matched(events)
            files = files.filter(person_id__in=people)
        files = files.filter(credit_event__in=_ids(events))
    return Selection(attendees=attendees, files=files)


def percent(part: int, whole: int) -> float | int | None:
    if not whole:
        return None
    share = round(100 * part / whole, 1)
    return int(share) if share.is_integer() else share


def _steps(counts: dict[str, int], medians: dict[str, float | None]) -> list[Step]:
    steps, previous = [], None
    first = counts["signed_up"]
    for key, label in STEPS:
        count = counts[key]
        steps.append(
            Step(
                key=key,
                label=label,
                count=count,
                rate=None if previous is None else percent(count, previous),
                overall=None if previous is None else percent(count, first),
                median_days=medians.get(key),
            )
        )
        previous = count
    return steps


def _median(value) -> float | None:
    return None if value is None else round(float(value), 1)


def funnel(
    *, persons=None, events=None, since=None, splits=SPLITS, today=None, window=None
) -> Funnel:
    """The funnel of a set of persons (ids or a queryset) and/or events (ids or a queryset).

    A few queries whatever the size of the set: the matched persons (events only), one
    aggregate over attendances, one over applications, and two per split asked for.
    """
    today = today or timezone.localdate()
    selection = select(persons=persons, events=events, since=since, window=window)
    people = _people_rows(selection.attendees).aggregate(
        **_people_counts(),
        attended_days=Median(DaysBetween("signed_up_at", "checked_in_at")),
    )
    counts = {key: people[key] for key in PEOPLE_STEPS}
    medians = {"attended": _median(people["attended_days"])}
    if selection.files is None:
        counts |= dict.fromkeys(FILE_STEPS, 0)
    else:
        files = _file_rows(selection.files).aggregate(
            **_file_counts(),
            **{f"{key}_days": Median(DaysBetween(*FILE_DATES[key])) for key in FILE_STEPS},
        )
        counts |= {key: files[key] for key in FILE_STEPS}
        medians |= {key: _median(files[f"{key}_days"]) for key in FILE_STEPS}
    result = Funnel(steps=_steps(counts, medians))
    names = [name for name, _label in splits]
    if names:
        result.splits = _splits(selection, names, _split_keys(today))
    return result


def _splits(selection: Selection, names: list[str], keys: dict) -> dict:
    """All the splits asked for in one grouped query per kind of row (attendances, then
    applications): the rows are grouped by every split key at once, then each split adds
    up its groups."""
    by_split: dict[str, dict] = {name: {} for name in names}

    def add(row, steps):
        for name in names:
            value = row[f"split_{name}"] or None
            counts = by_split[name].setdefault(value, dict.fromkeys(STEP_KEYS, 0))
            for key in steps:
                counts[key] += row[key]

    people = (
        _people_rows(selection.attendees)
        .annotate(birth=Coalesce("person__birth_date", "registration__person__birth_date"))
        .values(**{f"split_{name}": keys[name][0] for name in names})
        .annotate(**_people_counts())
        .order_by()
    )
    for row in people:
        add(row, PEOPLE_STEPS)
    if selection.files is not None:
        files = (
            _file_rows(selection.files)
            .annotate(
                applicant_sex=Subquery(_applicant(OuterRef("person_id"), "sex")),
                applicant_birth=Subquery(_applicant(OuterRef("person_id"), "birth_date")),
            )
            .values(**{f"split_{name}": keys[name][1] for name in names})
            .annotate(**_file_counts())
            .order_by()
        )
        for row in files:
            add(row, FILE_STEPS)
    return {name: _labelled(name, by_split[name]) for name in names}


def _labelled(name: str, by_key: dict) -> list[tuple[str, dict[str, int]]]:
    known = [key for key in by_key if key is not None]
    if name == "sex":
        labels = dict(Sex.choices)
        order = [value for value in Sex.values if value in by_key]
    elif name == "age":
        labels = {key: key for key, _first, _last in AGE_BANDS}
        order = [key for key, _first, _last in AGE_BANDS if key in by_key]
    else:
        model = Branch if name == "branch" else Province
        labels = {pk: item.name for pk, item in model.objects.in_bulk(known).items()}
        order = sorted(known, key=lambda pk: str(labels.get(pk, pk)))
    rows = [(str(labels.get(key, key)), by_key[key]) for key in order]
    if None in by_key:
        rows.append((str(NOT_KNOWN), by_key[None]))
    return rows


def by_event(events, *, window=None) -> dict[int, dict[str, int]]:
    """Each event's step counts, side by side (three queries for any number of events)."""
    selection = select(events=events, window=window)
    table: dict[int, dict[str, int]] = {}
    for row in (
        _people_rows(selection.attendees).values("event_id").annotate(**_people_counts()).order_by()
    ):
        table[row["event_id"]] = dict.fromkeys(STEP_KEYS, 0) | {
            key: row[key] for key in PEOPLE_STEPS
        }
    if selection.files is not None:
        for row in (
            _file_rows(selection.files).values("credit_event").annotate(**_file_counts()).order_by()
        ):
            counts = table.setdefault(row["credit_event"], dict.fromkeys(STEP_KEYS, 0))
            counts.update({key: row[key] for key in FILE_STEPS})
    return table
