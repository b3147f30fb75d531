"""The exchange with the CNSS in the JSON API (/api/v1/cnss/), for the CNSS liaison."""

import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field

from hirfa.accounts.api_auth import authenticated
from hirfa.cnss import exchange_format as fmt
from hirfa.cnss import policy, selectors, services
from hirfa.cnss.keys import public_key_text
from hirfa.core.api_errors import ErrorOut
from hirfa.core.errors import DomainError, Forbidden
from hirfa.core.pagination import Pages

router = Router(tags=["cnss"], auth=authenticated)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class BatchOut(Schema):
    batch_id: str
    direction: str
    kind: str
    sequence: int
    in_reply_to: str
    schema_version: int
    record_count: int
    applied_count: int
    rejected_count: int
    sha256: str
    status: str
    created_at: datetime
    processed_at: datetime | None


class RejectionOut(Schema):
    line: int
    key: str
    code: str
    reason: str


class BatchFilters(Schema):
    direction: str = Field("", max_length=20, description="rna-to-cnss or cnss-to-rna")
    kind: str = Field("", max_length=20)


class ReconciliationRowOut(Schema):
    batch_id: str
    kind: str
    sent: int
    accepted: int
    rejected: int
    awaiting: int
    missing: int
    answered_by: list[str]


class ReconciliationOut(Schema):
    totals: dict[str, int]
    batches: list[ReconciliationRowOut]


class ImportOut(Schema):
    status: str = Field(description="applied or already_imported")
    batch: BatchOut
    applied: int
    rejected: int


class PublicKeyOut(Schema):
    alg: str
    public_key: str
    key_id: str


def _liaison(request):
    if not policy.may_exchange(request.auth):
        raise Forbidden()
    return request.auth


@router.get("/batches", response={200: list[BatchOut], **ERRORS}, summary="Batches")
@paginate(Pages, page_size=50)
def list_batches(request, filters: Query[BatchFilters]):
    user = _liaison(request)
    return selectors.batches_for(user, direction=filters.direction, kind=filters.kind)


@router.get("/batches/{batch_id}", response={200: BatchOut, **ERRORS}, summary="A batch")
def get_batch(request, batch_id: str):
    return selectors.batch_for(_liaison(request), batch_id)


@router.get(
    "/batches/{batch_id}/rejections",
    response={200: list[RejectionOut], **ERRORS},
    summary="The rejected lines of an inbound batch",
)
@paginate(Pages, page_size=100)
def list_rejections(request, batch_id: str):
    return selectors.rejections_of(selectors.batch_for(_liaison(request), batch_id))


@router.get(
    "/reconciliation",
    response={200: ReconciliationOut, **ERRORS},
    summary="Sent, acknowledged, awaiting and missing, per batch sent",
)
def reconciliation(request):
    result = selectors.reconciliation(_liaison(request))
    return {
        "totals": result.totals,
        "batches": [
            {
                "batch_id": row.batch.batch_id,
                "kind": row.batch.kind,
                "sent": row.sent,
                "accepted": row.accepted,
                "rejected": row.rejected,
                "awaiting": row.awaiting,
                "missing": row.missing,
                "answered_by": row.answered_by,
            }
            for row in result.batches
        ],
    }


@router.post(
    "/export",
    response={200: list[BatchOut], **ERRORS},
    summary="Write and send the new outbound batches now",
)
def export_now(request):
    return services.export_batches(actor=_liaison(request))


@router.post(
    "/import",
    response={200: ImportOut, **ERRORS},
    summary="Import one answer batch from the CNSS",
    description="A file refused whole (nothing applied) answers 422 with the reason.",
)
def import_batch(request, file: File[UploadedFile]):
    user = _liaison(request)
    settings.CNSS_WORK_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.CNSS_WORK_DIR) as folder:
        path = Path(folder) / "upload.jsonl"
        with open(path, "wb") as copy:
            for chunk in file.chunks():
                copy.write(chunk)
        report = services.import_file(path, actor=user)
    if report.refused:
        raise DomainError(report.message, code=report.code, status=422)
    return {
        "status": report.status,
        "batch": report.batch,
        "applied": report.applied,
        "rejected": report.rejected,
    }


@router.get(
    "/public-key",
    response={200: PublicKeyOut, **ERRORS},
    summary="Our Ed25519 public key, with which the CNSS verifies our batches",
)
def public_key(request):
    _liaison(request)
    text = public_key_text()
    return {
        "alg": "Ed25519",
        "public_key": text,
        "key_id": fmt.key_id(fmt.public_key_from_text(text)),
    }
