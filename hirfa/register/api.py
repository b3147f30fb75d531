"""The register in the JSON API: the same services as the HTML screens."""

from datetime import date, datetime

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from hirfa.accounts.api_auth import authenticated
from hirfa.accounts.selectors import history_for
from hirfa.core.api_errors import ErrorOut
from hirfa.core.idempotency import idempotent
from hirfa.core.pagination import Pages, Rows
from hirfa.register import selectors, services
from hirfa.register.numbers import format_number

router = Router(tags=["register"], auth=authenticated)

# The lists page in the database (ADR 0043): 50 rows a page unless asked, never over 200.
PAGE_SIZE, MAX_PAGE_SIZE = 50, 200

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class PersonIn(Schema):
    cnie: str = Field(max_length=30)
    first_name_ar: str = Field(max_length=200)
    last_name_ar: str = Field(max_length=200)
    first_name_latin: str = Field(max_length=200)
    last_name_latin: str = Field(max_length=200)
    first_name_zgh: str = Field("", max_length=200)
    last_name_zgh: str = Field("", max_length=200)
    sex: str = Field(max_length=1, description="F or M")
    birth_date: str = Field(max_length=10, description="YYYY-MM-DD")
    birth_place: str = Field(max_length=200)
    nationality: str = Field("MA", max_length=2)
    address: str = Field(max_length=300)
    commune: str = Field(max_length=12, description="HCP code of the commune")
    phone: str = Field(max_length=30)
    email: str = Field("", max_length=200)
    education: str = Field(max_length=12)


class CraftIn(Schema):
    category: str = Field(max_length=20)
    principal_activity: str = Field(max_length=16)
    secondary_activities: list[str] = Field([], max_length=3)
    workplace_kind: str = Field(max_length=10)
    workplace_commune: str = Field(max_length=12)
    workplace_address: str = Field(max_length=300)


class DossierIn(Schema):
    person: PersonIn
    craft: CraftIn


class AssistedDossierIn(DossierIn):
    consent: bool = Field(description="The artisan heard the Law 09-08 notice and agrees.")


class EntityIn(Schema):
    name_ar: str = Field(max_length=300)
    name_fr: str = Field(max_length=300)
    ice: str = Field(max_length=30, description="Common company identifier, 15 digits")
    register_number: str = Field("", max_length=30)
    address: str = Field(max_length=300)
    commune: str = Field(max_length=12, description="HCP code of the commune of the head office")
    phone: str = Field("", max_length=30)
    email: str = Field("", max_length=200)
    members: list[str] = Field(
        [], max_length=500, description="Registration numbers of the members (cooperatives)"
    )
    supervisor: str = Field(
        "", max_length=30, description="Registration number of the supervising artisan"
    )


class EntityDossierIn(Schema):
    entity: EntityIn
    craft: CraftIn
    consent: bool = Field(description="The representative heard the Law 09-08 notice and agrees.")


class DossierPatch(Schema):
    person: PersonIn | None = None
    craft: CraftIn | None = None


class DocumentOut(Schema):
    id: int
    kind: str
    original_name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class MessageOut(Schema):
    body: str
    at: datetime


class DossierOut(Schema):
    id: int
    kind: str
    state: str
    state_label: str
    category: str
    cnie: str | None
    name_ar: str
    name_latin: str
    principal_activity: str
    secondary_activities: list[str]
    workplace_kind: str
    workplace_commune: str
    workplace_address: str
    province: str
    assisted: bool
    submitted_at: datetime | None
    decided_at: datetime | None
    rejection_reason: str
    decision_note: str
    registration_number: str | None
    missing_documents: list[str]
    documents: list[DocumentOut]
    messages: list[MessageOut]
    # Identity changes a modification or a renewal proposes, applied on approval only.
    person_changes: dict[str, dict[str, str | None]] = {}


class DossierSummaryOut(Schema):
    id: int
    kind: str
    state: str
    name_ar: str
    name_latin: str
    principal_activity: str
    workplace_commune: str
    submitted_at: datetime | None
    age_days: int | None


class RegistrationOut(Schema):
    number: str
    number_printed: str
    category: str
    status: str
    status_label: str
    status_reason: str
    suspended_until: date | None
    name_ar: str
    name_latin: str
    principal_activity: str
    secondary_activities: list[str]
    workplace_commune: str
    province: str
    registered_on: date
    valid_until: date


class ChangesIn(Schema):
    message: str = Field(max_length=2000)


class RejectIn(Schema):
    reason: str = Field(max_length=30)
    note: str = Field("", max_length=2000)


class NoteIn(Schema):
    note: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(max_length=2000)


class SuspendIn(ReasonIn):
    until: date | None = None


class ClaimIn(Schema):
    cnie: str = Field(max_length=30)


class QueueFilters(Schema):
    state: str | None = Field(None, max_length=20)
    activity: str | None = Field(None, max_length=16)
    commune: str | None = Field(None, max_length=12)
    older_than_days: int | None = Field(None, ge=0, le=36500)


def _dossier_out(dossier) -> dict:
    person = dossier.person
    return {
        "id": dossier.pk,
        "kind": dossier.kind,
        "state": dossier.state,
        "state_label": str(dossier.get_state_display()),
        "category": dossier.category,
        "cnie": person.cnie if person else None,
        "name_ar": dossier.registrant_name_ar,
        "name_latin": dossier.registrant_name_latin,
        "principal_activity": dossier.principal_activity.code,
        "secondary_activities": [a.code for a in dossier.secondary_activities.all()],
        "workplace_kind": dossier.workplace_kind,
        "workplace_commune": dossier.workplace_commune.code,
        "workplace_address": dossier.workplace_address,
        "province": dossier.province.code,
        "assisted": dossier.assisted,
        "submitted_at": dossier.submitted_at,
        "decided_at": dossier.decided_at,
        "rejection_reason": dossier.rejection_reason,
        "decision_note": dossier.decision_note,
        "registration_number": dossier.registration.number if dossier.registration_id else None,
        "missing_documents": [r.code for r in selectors.missing_documents(dossier)],
        "documents": [_document_out(d) for d in dossier.documents.all()],
        "messages": [{"body": m.body, "at": m.at} for m in dossier.messages.all()],
        "person_changes": dossier.person_changes or {},
    }


def _document_out(document) -> dict:
    return {
        "id": document.pk,
        "kind": document.kind,
        "original_name": document.original_name,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "uploaded_at": document.uploaded_at,
    }


def _registration_out(registration) -> dict:
    return {
        "number": registration.number,
        "number_printed": format_number(registration.number),
        "category": registration.category,
        "status": registration.status,
        "status_label": str(registration.get_status_display()),
        "status_reason": registration.status_reason,
        "suspended_until": registration.suspended_until,
        "name_ar": registration.registrant_name_ar,
        "name_latin": registration.registrant_name_latin,
        "principal_activity": registration.principal_activity.code,
        "secondary_activities": [a.code for a in registration.secondary_activities.all()],
        "workplace_commune": registration.workplace_commune.code,
        "province": registration.province.code,
        "registered_on": registration.registered_on,
        "valid_until": registration.valid_until,
    }


def _fresh(request, pk):
    return _dossier_out(selectors.dossier_for(request.auth, pk))


# --- Dossiers ---------------------------------------------------------------------------


@router.post("/dossiers", response={201: DossierOut, **ERRORS}, summary="Start my application")
@idempotent
def start_dossier(request, payload: DossierIn):
    dossier = services.start_dossier(
        applicant=request.auth,
        person_data=payload.person.dict(),
        craft_data=payload.craft.dict(),
    )
    return Status(201, _fresh(request, dossier.pk))


@router.post(
    "/dossiers/assisted",
    response={201: DossierOut, **ERRORS},
    summary="File a dossier for an artisan (chamber agent)",
)
@idempotent
def file_assisted(request, payload: AssistedDossierIn):
    dossier = services.file_assisted(
        agent=request.auth,
        person_data=payload.person.dict(),
        craft_data=payload.craft.dict(),
        consent=payload.consent,
    )
    return Status(201, _fresh(request, dossier.pk))


@router.post(
    "/dossiers/entities",
    response={201: DossierOut, **ERRORS},
    summary="File a dossier for a cooperative or an enterprise (chamber agent)",
)
@idempotent
def file_entity(request, payload: EntityDossierIn):
    dossier = services.file_entity(
        agent=request.auth,
        entity_data=payload.entity.dict(),
        craft_data=payload.craft.dict(),
        consent=payload.consent,
    )
    return Status(201, _fresh(request, dossier.pk))


@router.get("/dossiers", response={200: list[DossierSummaryOut], **ERRORS}, summary="Dossiers")
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_dossiers(request, filters: Query[QueueFilters]):
    dossiers = (
        selectors.dossiers_for(request.auth)
        .filter(**({"state": filters.state} if filters.state else {}))
        .order_by("-id")
    )
    return Rows(dossiers, out=_summary, shown=selectors.registrants_shown)


def _summary(dossier) -> dict:
    age = (timezone.now() - dossier.submitted_at).days if dossier.submitted_at else None
    return {
        "id": dossier.pk,
        "kind": dossier.kind,
        "state": dossier.state,
        "name_ar": dossier.registrant_name_ar,
        "name_latin": dossier.registrant_name_latin,
        "principal_activity": dossier.principal_activity.code,
        "workplace_commune": dossier.workplace_commune.code,
        "submitted_at": dossier.submitted_at,
        "age_days": age,
    }


@router.get("/dossiers/{int:dossier_id}", response={200: DossierOut, **ERRORS}, summary="A dossier")
def get_dossier(request, dossier_id: int):
    return _fresh(request, dossier_id)


@router.patch(
    "/dossiers/{int:dossier_id}", response={200: DossierOut, **ERRORS}, summary="Edit a dossier"
)
def update_dossier(request, dossier_id: int, payload: DossierPatch):
    dossier = selectors.dossier_for(request.auth, dossier_id)
    services.update_dossier(
        actor=request.auth,
        dossier=dossier,
        person_data=payload.person.dict() if payload.person else None,
        craft_data=payload.craft.dict() if payload.craft else None,
    )
    return _fresh(request, dossier_id)


@router.post(
    "/dossiers/{int:dossier_id}/documents",
    response={201: DocumentOut, **ERRORS},
    summary="Attach a document (PDF, JPEG or PNG)",
)
@idempotent
def attach_document(request, dossier_id: int, kind: Form[str], file: File[UploadedFile]):
    dossier = selectors.dossier_for(request.auth, dossier_id)
    document = services.attach_document(
        actor=request.auth, dossier=dossier, kind=kind[:40], uploaded=file
    )
    return Status(201, _document_out(document))


def _dossier_action(service, summary: str, schema=None):
    """An endpoint that moves a dossier by `service` and answers with its new state."""
    name = service.__name__

    def run(request, dossier_id: int, payload=None):
        dossier = selectors.dossier_for(request.auth, dossier_id)
        actor_argument = "officer" if service in REVIEW_ACTIONS else "actor"
        extra = payload.dict() if payload is not None else {}
        service(**{actor_argument: request.auth, "dossier": dossier, **extra})
        return _fresh(request, dossier_id)

    if schema is None:

        def endpoint(request, dossier_id: int):
            return run(request, dossier_id)

    else:

        def endpoint(request, dossier_id: int, payload: schema):
            return run(request, dossier_id, payload)

    endpoint.__name__ = f"dossier_{name}"
    path = f"/dossiers/{{int:dossier_id}}/{name.replace('_', '-')}"
    router.post(path, response={200: DossierOut, **ERRORS}, summary=summary)(idempotent(endpoint))


REVIEW_ACTIONS = {
    services.start_review,
    services.request_changes,
    services.approve,
    services.reject,
}

_dossier_action(services.submit, "Send the dossier for review")
_dossier_action(services.withdraw, "Withdraw the dossier", ReasonIn)
_dossier_action(services.start_review, "Start reviewing (officer)")
_dossier_action(services.request_changes, "Ask the artisan for changes (officer)", ChangesIn)
_dossier_action(services.approve, "Approve and number (officer)", NoteIn)
_dossier_action(services.reject, "Reject (officer)", RejectIn)


# --- Review queue -----------------------------------------------------------------------


@router.get(
    "/review/queue", response={200: list[DossierSummaryOut], **ERRORS}, summary="Review queue"
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def review_queue(request, filters: Query[QueueFilters]):
    dossiers = selectors.review_queue(request.auth, **filters.dict())
    return Rows(dossiers, out=_summary, shown=selectors.registrants_shown)


@router.get("/review/counts", response={200: dict[str, int], **ERRORS}, summary="Counts by state")
def review_counts(request):
    return selectors.counts_by_state(request.auth)


# --- Registrations ----------------------------------------------------------------------


@router.get(
    "/registrations", response={200: list[RegistrationOut], **ERRORS}, summary="Registrations"
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_registrations(request):
    registrations = (
        selectors.registrations_for(request.auth)
        .prefetch_related("secondary_activities")
        .order_by("id")
    )
    return Rows(registrations, out=_registration_out, shown=selectors.registrants_shown)


@router.get(
    "/registrations/{number}", response={200: RegistrationOut, **ERRORS}, summary="A registration"
)
def get_registration(request, number: str):
    return _registration_out(selectors.registration_for(request.auth, number[:20]))


def _registration_action(service, summary: str, schema):
    name = service.__name__

    def endpoint(request, number: str, payload: schema):
        registration = selectors.registration_for(request.auth, number[:20])
        service(officer=request.auth, registration=registration, **payload.dict())
        return _registration_out(selectors.registration_for(request.auth, number[:20]))

    endpoint.__name__ = f"registration_{name}"
    path = f"/registrations/{{number}}/{name.replace('_', '-')}"
    router.post(path, response={200: RegistrationOut, **ERRORS}, summary=summary)(
        idempotent(endpoint)
    )


_registration_action(services.suspend, "Suspend a registration (officer)", SuspendIn)
_registration_action(services.reinstate, "Reinstate a suspended registration (officer)", ReasonIn)
_registration_action(services.strike_off, "Strike off a registration — final (officer)", ReasonIn)


@router.post(
    "/registrations/{number}/modifications",
    response={201: DossierOut, **ERRORS},
    summary="Ask for a modification (category, activities, workplace)",
)
@idempotent
def request_modification(request, number: str, payload: CraftIn):
    registration = selectors.registration_for(request.auth, number[:20])
    dossier = services.request_modification(
        actor=request.auth, registration=registration, craft_data=payload.dict()
    )
    return Status(201, _fresh(request, dossier.pk))


@router.post(
    "/registrations/{number}/renewals",
    response={201: DossierOut, **ERRORS},
    summary="Ask for the renewal of a registration",
)
@idempotent
def request_renewal(request, number: str):
    registration = selectors.registration_for(request.auth, number[:20])
    dossier = services.request_renewal(actor=request.auth, registration=registration)
    return Status(201, _fresh(request, dossier.pk))


@router.get(
    "/registrations/{number}/attestation",
    response={200: bytes, **ERRORS},
    summary="The attestation of practice (PDF)",
    openapi_extra={
        "responses": {200: {"content": {"application/pdf": {"schema": {"type": "string"}}}}}
    },
)
def attestation(request, number: str):
    registration = selectors.registration_for(request.auth, number[:20])
    pdf = services.attestation_pdf(actor=request.auth, registration=registration)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="attestation-{registration.number}.pdf"'
    )
    return response


@router.post("/claim", response={200: DossierOut | None, **ERRORS}, summary="Claim my file")
def claim(request, payload: ClaimIn):
    services.claim_person(user=request.auth, cnie=payload.cnie)
    dossier = selectors.current_dossier_of(request.auth)
    return _dossier_out(dossier) if dossier else None


class HistoryOut(Schema):
    at: datetime
    actor: str
    action: str
    reason: str
    data: dict


@router.get(
    "/dossiers/{int:dossier_id}/history",
    response={200: list[HistoryOut], **ERRORS},
    summary="The audit history of a dossier (staff of its territory, auditors)",
)
def dossier_history(request, dossier_id: int):
    dossier = selectors.dossier_for(request.auth, dossier_id)
    entries = history_for(request.auth, object_type="register.dossier", object_id=dossier.pk)
    return [
        {"at": e.at, "actor": e.actor_label, "action": e.action, "reason": e.reason, "data": e.data}
        for e in entries
    ]
