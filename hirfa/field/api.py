"""The field app's JSON API at /api/v1/field/ (docs/decisions/0060): photos first (PUT, by
their id), then items (POST, by their id); both answer a replay with the first answer."""

import uuid as uuids
from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError
from ninja.pagination import paginate
from pydantic import Field
from pydantic import ValidationError as PydanticError

from hirfa.accounts.api_auth import authenticated
from hirfa.core.api_errors import ErrorOut
from hirfa.core.errors import DomainError, Forbidden
from hirfa.core.pagination import Pages, Rows
from hirfa.field import policy, selectors, services
from hirfa.register.api import CraftIn, PersonIn

router = Router(tags=["field"], auth=authenticated)

# The lists page in the database (ADR 0043).
PAGE_SIZE, MAX_PAGE_SIZE = 50, 200

ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    410: ErrorOut,
    413: ErrorOut,
    422: ErrorOut,
}


class AttachmentOut(Schema):
    id: str
    kind: str
    size: int
    sha256: str


@router.put(
    "/attachments/{attachment_id}",
    response={201: AttachmentOut, **ERRORS},
    summary="Stage a photo ahead of its item (the body is the JPEG or PNG)",
)
def put_attachment(request: HttpRequest, attachment_id: uuids.UUID, kind: str = Query(...)):
    length = int(request.headers.get("Content-Length") or 0)
    limit = settings.DOCUMENT_MAX_BYTES
    if length > limit:
        raise DomainError(
            _("This photo is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(length / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="too_large",
            status=413,
        )
    attachment = services.stage_attachment(
        agent=request.auth, uuid=attachment_id, kind=kind[:40], data=request.body[: limit + 1]
    )
    return Status(
        201,
        {
            "id": str(attachment.uuid),
            "kind": attachment.kind,
            "size": attachment.size,
            "sha256": attachment.sha256,
        },
    )


class ItemIn(Schema):
    id: uuids.UUID = Field(description="Given by the phone when the item was captured")
    kind: str = Field(max_length=16, description="registration or check_in")
    captured_at: datetime = Field(description="Device clock, when the item was captured")
    sent_at: datetime = Field(description="Device clock, when this delivery was sent")
    body: dict


class AttachmentRef(Schema):
    id: uuids.UUID
    kind: str = Field(max_length=40)


class RegistrationBody(Schema):
    agent: str = Field(max_length=64)
    person: PersonIn
    craft: CraftIn
    consent: bool
    event: int | None = None
    attachments: list[AttachmentRef] = Field([], max_length=services.MAX_ATTACHMENTS)


class CheckInBody(Schema):
    agent: str = Field(max_length=64)
    event: int
    walk_in: bool = False
    number: str = Field("", max_length=30)
    cnie: str = Field("", max_length=30)
    phone: str = Field("", max_length=30)
    name: str = Field("", max_length=150)
    consent: bool = False


class ItemOut(Schema):
    id: str
    kind: str
    state: str
    reason: str
    message: str
    replayed: bool = False
    dossier: int | None = None
    url: str = ""
    note: str = ""
    clock: str = ""
    code: str = ""
    fields: dict[str, list[str]] = {}


def _check_shape(payload: ItemIn) -> None:
    """The body's shape, by kind: a malformed one is refused with 422 and nothing is kept."""
    shape = {"registration": RegistrationBody, "check_in": CheckInBody}.get(payload.kind)
    if shape is None:
        return  # the service refuses an unknown kind
    try:
        shape.model_validate(payload.body)
    except PydanticError as error:
        errors = [
            {**e, "loc": ("body", "body", *e["loc"])} for e in error.errors(include_url=False)
        ]
        raise ValidationError(errors) from None


@router.post(
    "/items",
    response={
        200: ItemOut,
        201: ItemOut,
        202: ItemOut,
        400: ItemOut,
        403: ItemOut,
        404: ItemOut,
        409: ItemOut,
        410: ItemOut,
        401: ErrorOut,
        422: ErrorOut,
    },
    summary="Send one item captured in the field (applied at most once)",
)
def post_item(request: HttpRequest, payload: ItemIn):
    _check_shape(payload)
    status, answer = services.submit_item(
        agent=request.auth,
        uuid=payload.id,
        kind=payload.kind,
        body=payload.body,
        captured_at=payload.captured_at,
        sent_at=payload.sent_at,
    )
    return Status(status, answer)


class KeptItemOut(Schema):
    id: str
    kind: str
    state: str
    reason: str
    status: int
    message: str
    received_at: datetime
    captured_at: datetime


def _kept(item) -> dict:
    return {
        "id": str(item.uuid),
        "kind": item.kind,
        "state": item.state,
        "reason": item.reason,
        "status": item.status,
        "message": item.answer.get("message", ""),
        "received_at": item.received_at,
        "captured_at": item.captured_at,
    }


@router.get(
    "/items",
    response={200: list[KeptItemOut], **ERRORS},
    summary="The items this agent sent, as the server keeps them, newest first",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def list_items(request: HttpRequest):
    if not policy.may_use_field_app(request.auth):
        raise Forbidden()
    return Rows(selectors.items_of(request.auth), out=_kept)
