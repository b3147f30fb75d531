"""What is counted: for each kind of object (a source), the rows read and the keys an object
is counted under. The same functions serve the incremental updates and the rebuild, so the
two cannot disagree (docs/decisions/0047)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model, QuerySet
from django.utils import timezone

from hirfa.cards.models import Card, CardPrint
from hirfa.coverage.models import Dependant, Enrolment
from hirfa.coverage.models import State as AmoState
from hirfa.register.models import Dossier, Registration

REGISTRATIONS = "registrations"  # every dimension: narrow questions (a commune's crafts)
# Roll-ups of the registrations, small enough to sum nationally in milliseconds: each keeps
# month, territory, sex and status, and one more dimension (docs/decisions/0047).
ROLLUPS = {
    "region": "reg:place",
    "province": "reg:place",
    "sex": "reg:place",
    "commune": "reg:commune",
    "branch": "reg:branch",
    "activity": "reg:activity",
    "category": "reg:category",
    "age_band": "reg:age",
}
PLACE = "reg:place"
DOSSIERS = "dossiers"  # every dossier, drafts included, by its state now
APPLICATIONS = "applications"
DECISIONS = "decisions"
REJECTIONS = "rejections"
CARDS_ISSUED = "cards_issued"
CARDS_HANDED_OVER = "cards_handed"
CARD_PRINTS = "card_prints"
AMO = "amo"  # each enrolment by its state now, in the month it entered it
AMO_STEPS = "amo_steps"  # each enrolment once per step reached, in the month it last did
DEPENDANTS = "dependants"

# Age at registration, in bands: fixed once registered, so a count never drifts with time.
AGE_BANDS = ((25, "u25"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64"))
AGE_BAND_CODES = (*(code for _limit, code in AGE_BANDS), "65+")
PAYING = "paying"
# Review times above this many days are counted as this many (the histogram's last bucket).
REVIEW_DAYS_CAP = 366


def age_band(birth: date | None, on: date) -> str:
    if birth is None:
        return ""
    age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    for limit, code in AGE_BANDS:
        if age < limit:
            return code
    return "65+"


def _day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _month(value) -> str:
    return _day(value).replace(day=1).isoformat()


def key(measure, month, region=0, province=0, *, commune=0, branch=0, activity=0, **rest):
    """A key in the order of models.KEY_FIELDS."""
    return (
        measure,
        month,
        region or 0,
        province or 0,
        commune or 0,
        branch or 0,
        activity or 0,
        rest.get("category") or "",
        rest.get("sex") or "",
        rest.get("age_band") or "",
        rest.get("state") or "",
        rest.get("detail") or "",
    )


def _same(keys: list[tuple]) -> list[tuple]:
    return keys


@dataclass(frozen=True)
class Source:
    model: type[Model]
    fields: tuple[str, ...]
    keys: Callable[[dict], list[tuple]]  # the keys an object is remembered under
    expand: Callable[[list[tuple]], list[tuple]] = _same  # …and every key it is counted in

    def rows(self) -> QuerySet:
        return self.model._base_manager.order_by().values("id", *self.fields)


def _registration_keys(row) -> list[tuple]:
    registered = row["registered_on"]
    month = _month(registered)
    where = (row["province__region_id"], row["province_id"])
    common = {"sex": row["person__sex"], "state": row["status"]}
    dimensions = {
        "commune": row["workplace_commune_id"],
        "branch": row["principal_activity__branch_id"],
        "activity": row["principal_activity_id"],
        "category": row["category"],
        "age_band": age_band(row["person__birth_date"], registered),
    }
    return [key(REGISTRATIONS, month, *where, **dimensions, **common)]


def _with_rollups(keys: list[tuple]) -> list[tuple]:
    """The full-cube keys of registrations and, derived from each, its roll-up keys. A
    registration remembers only its full-cube key (its `Contribution` stays small)."""
    found = []
    for full in keys:
        found.append(full)
        _measure, month, region, province, commune, branch, activity = full[:7]
        category, sex, band, state = full[7:11]
        common = {"sex": sex, "state": state}
        dimensions = {
            "commune": commune,
            "branch": branch,
            "activity": activity,
            "category": category,
            "age_band": band,
        }
        found.append(key(PLACE, month, region, province, **common))
        for dimension, value in dimensions.items():
            found.append(
                key(ROLLUPS[dimension], month, region, province, **{dimension: value}, **common)
            )
    return found


def _dossier_keys(row) -> list[tuple]:
    where = (row["province__region_id"], row["province_id"])
    keys = [
        key(DOSSIERS, _month(row["created_at"]), *where, state=row["state"], detail=row["kind"])
    ]
    if row["submitted_at"]:
        keys.append(
            key(
                APPLICATIONS,
                _month(row["submitted_at"]),
                *where,
                branch=row["principal_activity__branch_id"],
                category=row["category"],
                state=row["state"],
                detail=row["kind"],
            )
        )
    decided = row["state"] in (Dossier.State.APPROVED, Dossier.State.REJECTED)
    if decided and row["decided_at"]:
        month = _month(row["decided_at"])
        days = 0
        if row["submitted_at"]:
            days = (_day(row["decided_at"]) - _day(row["submitted_at"])).days
        days = min(max(days, 0), REVIEW_DAYS_CAP)
        keys.append(key(DECISIONS, month, *where, state=row["state"], detail=str(days)))
        if row["state"] == Dossier.State.REJECTED:
            reason = row["rejection_reason"] or "other"
            keys.append(key(REJECTIONS, month, *where, detail=reason[:40]))
    return keys


def _card_keys(row) -> list[tuple]:
    where = (row["province__region_id"], row["province_id"])
    keys = [
        key(
            CARDS_ISSUED,
            _month(row["issued_at"]),
            *where,
            state=row["print_state"],
            detail=row["issue_reason"],
        )
    ]
    if row["handed_over_at"]:
        keys.append(key(CARDS_HANDED_OVER, _month(row["handed_over_at"]), *where))
    return keys


def _print_keys(row) -> list[tuple]:
    return [
        key(
            CARD_PRINTS,
            _month(row["at"]),
            row["card__province__region_id"],
            row["card__province_id"],
            state="reprint" if row["reprint"] else "first",
        )
    ]


def is_paying(row) -> bool:
    live = row["state"] in (AmoState.IMMATRICULATED, AmoState.RIGHTS_OPEN)
    return live and row["dues_from"] is not None and row["unpaid_months"] == 0


# The steps of an enrolment and the field dating each: a field holds the last time the
# enrolment reached its step (a reopening after a suspension moves `rights_open_on`).
AMO_STEP_DATES = (
    (AmoState.SENT, "sent_on"),
    (AmoState.IMMATRICULATED, "immatriculated_on"),
    (AmoState.RIGHTS_OPEN, "rights_open_on"),
    (AmoState.SUSPENDED, "suspended_on"),
    (AmoState.CLOSED, "closed_on"),
)


def _enrolment_keys(row) -> list[tuple]:
    where = (row["registration__province__region_id"], row["registration__province_id"])
    sex = row["registration__person__sex"]
    keys = [
        key(
            AMO,
            _month(row["state_since"]),
            *where,
            sex=sex,
            state=row["state"],
            detail=PAYING if is_paying(row) else "",
        )
    ]
    for step, field in AMO_STEP_DATES:
        if row[field] is not None:
            keys.append(key(AMO_STEPS, _month(row[field]), *where, sex=sex, state=str(step)))
    return keys


def _dependant_keys(row) -> list[tuple]:
    return [
        key(
            DEPENDANTS,
            _month(row["created_at"]),
            row["registration__province__region_id"],
            row["registration__province_id"],
            state=row["state"],
            detail=row["relation"],
        )
    ]


SOURCES: dict[str, Source] = {
    "registration": Source(
        Registration,
        (
            "registered_on",
            "province_id",
            "province__region_id",
            "workplace_commune_id",
            "principal_activity_id",
            "principal_activity__branch_id",
            "category",
            "person__sex",
            "person__birth_date",
            "status",
        ),
        _registration_keys,
        _with_rollups,
    ),
    "dossier": Source(
        Dossier,
        (
            "kind",
            "state",
            "created_at",
            "submitted_at",
            "decided_at",
            "province_id",
            "province__region_id",
            "category",
            "principal_activity__branch_id",
            "rejection_reason",
        ),
        _dossier_keys,
    ),
    "card": Source(
        Card,
        (
            "issued_at",
            "handed_over_at",
            "province_id",
            "province__region_id",
            "print_state",
            "issue_reason",
        ),
        _card_keys,
    ),
    "cardprint": Source(
        CardPrint, ("at", "reprint", "card__province_id", "card__province__region_id"), _print_keys
    ),
    "enrolment": Source(
        Enrolment,
        (
            "state",
            "state_since",
            "dues_from",
            "unpaid_months",
            *(field for _step, field in AMO_STEP_DATES),
            "registration__province_id",
            "registration__province__region_id",
            "registration__person__sex",
        ),
        _enrolment_keys,
    ),
    "dependant": Source(
        Dependant,
        (
            "state",
            "relation",
            "created_at",
            "registration__province_id",
            "registration__province__region_id",
        ),
        _dependant_keys,
    ),
}
SOURCE_OF_MODEL = {source.model: name for name, source in SOURCES.items()}
