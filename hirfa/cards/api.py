"""Cards in the JSON API (/api/v1/cards/).

Public, no login: a card's live status and the verification of a QR text (the same
verdict as the browser verifier and `hirfa verify_card`). Staff: a registration's cards,
reissue, the print queue, printing and hand-over — the same services as the screens.
"""

import json
from datetime import UTC, date, datetime

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from hirfa.accounts.api_auth import authenticated
from hirfa.cards import policy, printing, qr, selectors, services
from hirfa.cards.keys import b64url
from hirfa.cards.models import Card
from hirfa.cards.verification import verify_text
from hirfa.cards.views import status_response
from hirfa.core.api_errors import ErrorOut
from hirfa.core.errors import NotFound
from hirfa.core.idempotency import idempotent
from hirfa.core.middleware import served_directly
from hirfa.core.pagination import Pages
from hirfa.register import selectors as register_selectors

router = Router(tags=["cards"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class StatusOut(Schema):
    number: str
    version: int
    status: str = Field(description="valid, expired, revoked, suspended or unknown")
    checked_at: datetime


class VerifyIn(Schema):
    qr: str = Field(
        max_length=qr.MAX_CAMERA_TEXT,
        description=(
            "The QR text: a Claim 169 card's Base45 text (docs/card-qr.md §11), RNA1:…, "
            "or a camera address …/verify/#…"
        ),
    )


class CardClaimsOut(Schema):
    number: str
    version: int
    name_ar: str
    name_latin: str
    name_zgh: str
    category: str
    activity: str
    province: str
    issued_at: datetime
    expires_at: datetime
    kid: str


class AttestationClaimsOut(Schema):
    number: str
    name_ar: str
    name_latin: str
    name_zgh: str
    category: str
    activity: str
    province: str
    registered_on: date
    valid_until: date | None
    code: str = Field(
        description="The attestation's code, for /verify/attestation/{number}/{code}/"
    )
    issued_at: datetime
    expires_at: datetime | None
    kid: str


class VerifyOut(Schema):
    verdict: str = Field(description="valid, expired, revoked, suspended or not_genuine")
    card: CardClaimsOut | None
    attestation: AttestationClaimsOut | None = Field(
        None, description="When the QR code is an attestation's (docs/card-qr.md §10)"
    )
    reason: str


class CardOut(Schema):
    id: int
    number: str
    version: int
    status: str
    issue_reason: str
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revocation_reason: str
    print_state: str
    print_count: int
    printed_at: datetime | None
    handed_over_at: datetime | None
    received_by: str
    province: str
    qr: str

    @staticmethod
    def resolve_number(card: Card) -> str:
        return card.registration.number

    @staticmethod
    def resolve_province(card: Card) -> str:
        return card.province.code

    @staticmethod
    def resolve_qr(card: Card) -> str:
        return card.qr_text


class ReissueIn(Schema):
    reason: str = Field(max_length=20, description="lost, damaged or data_changed")
    note: str = Field("", max_length=2000)


class PrintedIn(Schema):
    reason: str = Field("", max_length=300, description="Required for a reprint")


class HandOverIn(Schema):
    received_by: str = Field(max_length=200)
    acknowledged: bool = Field(description="The holder signed the acknowledgement of receipt.")


# --- Public --------------------------------------------------------------------------------


@router.get(
    "/{number}/{version}/status",
    response={200: StatusOut},
    auth=None,
    summary="Live status of a card (public)",
)
def card_status(request, number: str, version: int):
    # Served by `hirfa.cards.views.card_status` (same URL, matched before the API's own
    # routing, which cost half the request); this operation documents it and answers
    # the paths that view does not match.
    return status_response(number, version)


@router.post(
    "/verify",
    response={200: VerifyOut, **ERRORS},
    auth=None,
    summary="Verify a card's QR text (public)",
)
def verify(request, payload: VerifyIn):
    # A well-formed body is answered by `verify_direct` below, ahead of the API's routing.
    return verify_answer(payload.qr)


def verify_answer(text: str) -> dict:
    """The body of `POST /api/v1/cards/verify` for the QR text `text`."""
    result = verify_text(text)
    card = attestation = None
    if isinstance(result.signed, qr.SignedAttestation):
        attestation = _attestation_out(result.signed)
    elif result.signed is not None:
        claims = result.signed.card
        card = {
            "number": claims.number,
            "version": claims.version,
            "name_ar": claims.name_ar,
            "name_latin": claims.name_latin,
            "name_zgh": claims.name_zgh,
            "category": claims.category,
            "activity": claims.activity,
            "province": claims.province,
            "issued_at": datetime.fromtimestamp(result.signed.issued_at, tz=UTC),
            "expires_at": datetime.fromtimestamp(result.signed.expires_at, tz=UTC),
            "kid": b64url(result.signed.kid),
        }
    return {
        "verdict": str(result.verdict),
        "card": card,
        "attestation": attestation,
        "reason": result.reason,
    }


def _attestation_out(signed: qr.SignedAttestation) -> dict:
    claims = signed.attestation
    return {
        "number": claims.number,
        "name_ar": claims.name_ar,
        "name_latin": claims.name_latin,
        "name_zgh": claims.name_zgh,
        "category": claims.category,
        "activity": claims.activity,
        "province": claims.province,
        "registered_on": date.fromisoformat(claims.registered_on),
        "valid_until": date.fromisoformat(claims.valid_until) if claims.valid_until else None,
        "code": claims.code,
        "issued_at": datetime.fromtimestamp(signed.issued_at, tz=UTC),
        "expires_at": (
            datetime.fromtimestamp(signed.expires_at, tz=UTC) if signed.expires_at else None
        ),
        "kid": b64url(signed.kid),
    }


# --- Staff -----------------------------------------------------------------------------------


@router.get(
    "/registrations/{number}",
    response={200: list[CardOut], **ERRORS},
    auth=authenticated,
    summary="Cards of a registration, newest first",
)
def registration_cards(request, number: str):
    if not policy.may_manage_cards(request.auth):
        raise NotFound()
    registration = register_selectors.registration_for(request.auth, number[:10])
    return selectors.cards_of(registration)


@router.post(
    "/registrations/{number}/reissue",
    response={201: CardOut, **ERRORS},
    auth=authenticated,
    summary="Issue a new version on loss, damage or a change of data",
)
@idempotent
def reissue(request, number: str, payload: ReissueIn):
    registration = register_selectors.registration_for(request.auth, number[:10])
    card = services.reissue(
        actor=request.auth, registration=registration, reason=payload.reason, note=payload.note
    )
    return Status(201, card)


@router.get(
    "/print-queue",
    response={200: list[CardOut], **ERRORS},
    auth=authenticated,
    summary="Current cards to print (or printed, or handed over) in my territory",
)
@paginate(Pages, page_size=50)
def print_queue(request, province: str = "", state: str = Card.PrintState.TO_PRINT):
    if state not in Card.PrintState.values:
        state = Card.PrintState.TO_PRINT
    return selectors.print_queue(request.auth, province=province[:6] or None, state=state)


def _card(request, card_id: int) -> Card:
    return selectors.card_for(request.auth, card_id)


@router.get(
    "/{card_id}/card.pdf",
    response={200: None, **ERRORS},
    auth=authenticated,
    summary="The card as a PDF (front and back)",
)
def card_pdf(request, card_id: int):
    card = _card(request, card_id)
    response = HttpResponse(printing.card_pdf(card), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="card-{card.registration.number}-v{card.version}.pdf"'
    )
    return response


@router.post(
    "/{card_id}/printed",
    response={200: CardOut, **ERRORS},
    auth=authenticated,
    summary="Record a printing (a reprint needs its reason)",
)
@idempotent
def printed(request, card_id: int, payload: PrintedIn):
    card = services.mark_printed(
        actor=request.auth, card=_card(request, card_id), reason=payload.reason
    )
    return card


@router.post(
    "/{card_id}/handed-over",
    response={200: CardOut, **ERRORS},
    auth=authenticated,
    summary="Record the hand-over of a printed card, acknowledged by its holder",
)
@idempotent
def handed_over(request, card_id: int, payload: HandOverIn):
    card = services.hand_over(
        actor=request.auth,
        card=_card(request, card_id),
        received_by=payload.received_by,
        acknowledged=payload.acknowledged,
    )
    return card


def verify_direct(api, operation):
    """`POST /api/v1/cards/verify`, matched before the API's routing (like `card_status`).

    Every online check of a card comes here: resolving the API's eighty routes and
    django-ninja's request parsing cost as much as the check itself (ADR 0075). A body
    that is exactly `{"qr": "<text>"}` within the length limit is answered here, with the
    operation's own body and `api`'s renderer; anything else goes to `operation` (the
    API's view of the same route), which gives its validation errors in the API's shape."""

    @served_directly  # past the session, CSRF and authentication layers (ADR 0082)
    @csrf_exempt
    def view(request):
        if request.method == "POST" and request.content_type == "application/json":
            try:
                data = json.loads(request.body)
            except ValueError:
                data = None
            text = data.get("qr") if isinstance(data, dict) and len(data) == 1 else None
            if isinstance(text, str) and len(text) <= qr.MAX_CAMERA_TEXT and "\x00" not in text:
                # `verify_answer` gives the fields of VerifyOut, in the types the renderer
                # writes as the operation would (a test compares both answers).
                return api.create_response(request, verify_answer(text), status=200)
        return operation(request)

    return view
