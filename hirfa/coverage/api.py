"""The health coverage in the JSON API (/api/v1/coverage/): the same services as the screens.

Amounts are strings with two decimals ("135.00"), never JSON numbers: a float would
not keep them exact.
"""

from datetime import date, datetime

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from hirfa.accounts.api_auth import authenticated
from hirfa.core.api_errors import ErrorOut
from hirfa.core.errors import NotFound
from hirfa.coverage import policy, selectors, services
from hirfa.coverage.models import Dependant, State
from hirfa.coverage.wording import status_of
from hirfa.register.models import Registration
from hirfa.register.selectors import current_registration_of

router = Router(tags=["coverage"], auth=authenticated)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MonthOut(Schema):
    period: str = Field(description="YYYY-MM")
    due: str
    paid: str
    settled: bool
    ended: bool


class DependantOut(Schema):
    id: int
    relation: str
    first_name_ar: str
    last_name_ar: str
    first_name_latin: str
    last_name_latin: str
    birth_date: date
    student: bool
    married: bool
    disabled: bool
    state: str
    eligible_until: date | None
    decision_reason: str
    missing_documents: list[str]


class CoverageOut(Schema):
    registration: str
    state: str
    state_label: str
    title: str
    next_step: str
    cnss_number: str
    sent_on: date | None
    immatriculated_on: date | None
    rights_open_on: date | None = Field(description="When rights opened, or will open")
    suspended_on: date | None
    closed_on: date | None
    rejection_reason: str
    arrears: str = Field(description="MAD, two decimals")
    unpaid_months: int
    months: list[MonthOut]
    dependants: list[DependantOut]


class DependantIn(Schema):
    relation: str = Field(max_length=8, description="spouse or child")
    first_name_ar: str = Field(max_length=200)
    last_name_ar: str = Field(max_length=200)
    first_name_latin: str = Field(max_length=200)
    last_name_latin: str = Field(max_length=200)
    sex: str = Field(max_length=1, description="F or M")
    birth_date: str = Field(max_length=10, description="YYYY-MM-DD")
    cnie: str = Field("", max_length=30)
    student: bool = False
    married: bool = False
    disabled: bool = False


class RefusalIn(Schema):
    reason: str = Field(max_length=300)


class RateIn(Schema):
    category: str = Field(max_length=12)
    starts_on: str = Field(max_length=7, description="YYYY-MM, the current month or later")
    basis: str = Field(max_length=12, description="MAD, two decimals")
    rate: str = Field(max_length=8, description="percent, e.g. 6.37")
    monthly_amount: str = Field(max_length=12, description="MAD, two decimals")
    source: str = Field("", max_length=300)


class ScheduleIn(Schema):
    rows: list[RateIn] = Field(min_length=1, max_length=50)


class RateOut(Schema):
    category: str
    starts_on: date
    ends_on: date | None
    basis: str
    rate: str
    monthly_amount: str
    source: str
    created_at: datetime


def _dependant_out(dependant: Dependant) -> dict:
    missing = services.missing_documents(dependant) if policy.awaits_check(dependant) else []
    return {
        **{
            field: getattr(dependant, field)
            for field in DependantOut.model_fields
            if hasattr(dependant, field)
        },
        "missing_documents": missing,
    }


def _coverage_out(registration: Registration) -> dict:
    enrolment = selectors.enrolment_of(registration)
    statement = services.statement_of(enrolment) if enrolment else None
    status = status_of(registration, enrolment, statement)
    opening = (services.expected_opening(enrolment) if enrolment else None) or (
        enrolment.rights_open_on if enrolment else None
    )
    return {
        "registration": registration.number,
        "state": enrolment.state if enrolment else State.NOT_ENROLLED,
        "state_label": str(
            enrolment.get_state_display() if enrolment else State.NOT_ENROLLED.label
        ),
        "title": status.title,
        "next_step": status.next_step,
        "cnss_number": enrolment.cnss_number if enrolment else "",
        "sent_on": enrolment.sent_on if enrolment else None,
        "immatriculated_on": enrolment.immatriculated_on if enrolment else None,
        "rights_open_on": opening,
        "suspended_on": enrolment.suspended_on if enrolment else None,
        "closed_on": enrolment.closed_on if enrolment else None,
        "rejection_reason": enrolment.rejection_reason if enrolment else "",
        "arrears": str(statement.arrears if statement else "0.00"),
        "unpaid_months": len(statement.unpaid) if statement else 0,
        "months": [
            {
                "period": m.period.strftime("%Y-%m"),
                "due": str(m.due),
                "paid": str(m.paid),
                "settled": m.settled,
                "ended": m.ended,
            }
            for m in (statement.months if statement else [])
        ],
        "dependants": [_dependant_out(d) for d in selectors.dependants_of(registration)],
    }


def _registration(user, number: str) -> Registration:
    return selectors.artisan_registration_for(user, number)


def _own(user) -> Registration:
    registration = current_registration_of(user) if policy.holds_own_file(user) else None
    if registration is None:
        raise NotFound()
    return registration


@router.get("/me", response={200: CoverageOut, **ERRORS}, summary="My health coverage (artisan)")
def my_coverage(request):
    return _coverage_out(_own(request.auth))


@router.post(
    "/me/dependants",
    response={201: DependantOut, **ERRORS},
    summary="Declare my spouse or a child (artisan)",
)
def declare_mine(request, payload: DependantIn):
    dependant = services.declare_dependant(
        actor=request.auth, registration=_own(request.auth), data=payload.dict()
    )
    return Status(201, _dependant_out(dependant))


@router.get(
    "/registrations/{number}",
    response={200: CoverageOut, **ERRORS},
    summary="An artisan's health coverage (staff of the territory)",
)
def coverage_of(request, number: str):
    return _coverage_out(_registration(request.auth, number))


@router.post(
    "/registrations/{number}/dependants",
    response={201: DependantOut, **ERRORS},
    summary="Declare a dependant for an artisan (chamber agent)",
)
def declare_for(request, number: str, payload: DependantIn):
    dependant = services.declare_dependant(
        actor=request.auth, registration=_registration(request.auth, number), data=payload.dict()
    )
    return Status(201, _dependant_out(dependant))


def _dependant(user, dependant_id: int) -> Dependant:
    return selectors.dependant_for(user, dependant_id)


@router.post(
    "/dependants/{int:dependant_id}/documents",
    response={201: DependantOut, **ERRORS},
    summary="Attach a document to a declared dependant",
)
def attach(request, dependant_id: int, kind: Form[str], file: File[UploadedFile]):
    dependant = _dependant(request.auth, dependant_id)
    services.attach_dependant_document(
        actor=request.auth, dependant=dependant, kind=kind[:30], uploaded=file
    )
    return Status(201, _dependant_out(Dependant.objects.get(pk=dependant.pk)))


@router.post(
    "/dependants/{int:dependant_id}/confirm",
    response={200: DependantOut, **ERRORS},
    summary="Confirm a declared dependant (chamber agent)",
)
def confirm(request, dependant_id: int):
    dependant = services.confirm_dependant(
        agent=request.auth, dependant=_dependant(request.auth, dependant_id)
    )
    return _dependant_out(dependant)


@router.post(
    "/dependants/{int:dependant_id}/refuse",
    response={200: DependantOut, **ERRORS},
    summary="Refuse a declared dependant (chamber agent)",
)
def refuse(request, dependant_id: int, payload: RefusalIn):
    dependant = services.refuse_dependant(
        agent=request.auth, dependant=_dependant(request.auth, dependant_id), reason=payload.reason
    )
    return _dependant_out(dependant)


def _rate_out(rate) -> dict:
    return {
        "category": rate.category,
        "starts_on": rate.starts_on,
        "ends_on": rate.ends_on,
        "basis": str(rate.basis),
        "rate": str(rate.rate),
        "monthly_amount": str(rate.monthly_amount),
        "source": rate.source,
        "created_at": rate.created_at,
    }


@router.get("/schedule", response={200: list[RateOut], **ERRORS}, summary="Contribution schedule")
def get_schedule(request):
    return [_rate_out(rate) for rate in selectors.schedule()]


@router.post(
    "/schedule",
    response={201: list[RateOut], **ERRORS},
    summary="Add rows to the contribution schedule (national administrator; all or nothing)",
)
def add_to_schedule(request, payload: ScheduleIn):
    rates = services.add_rates(actor=request.auth, rows=[row.dict() for row in payload.rows])
    return Status(201, [_rate_out(rate) for rate in rates])
