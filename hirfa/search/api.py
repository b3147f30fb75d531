"""Search in the JSON API: the same selector as the staff search page."""

from ninja import Query, Router, Schema
from pydantic import Field

from hirfa.accounts.api_auth import authenticated
from hirfa.accounts.roles import Capability, has_capability
from hirfa.core.api_errors import ErrorOut
from hirfa.core.errors import Forbidden
from hirfa.search.selectors import search
from hirfa.search.statements import Hit
from hirfa.search.views import filters_from

router = Router(tags=["search"], auth=authenticated)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


class SearchIn(Schema):
    q: str = Field(
        "", max_length=100, description="Name (any script or spelling), number, CNIE or phone"
    )
    region: str = Field("", max_length=20)
    province: str = Field("", max_length=20)
    commune: str = Field("", max_length=20)
    activity: str = Field("", max_length=20)
    category: str = Field("", max_length=20)
    status: str = Field("", max_length=20, description="Registration status or application state")
    page: int = Field(1, ge=1, le=10_000)


class HitOut(Schema):
    kind: str = Field(description="registration or application")
    number: str | None
    application: int | None
    name_ar: str
    name_latin: str
    category: str
    status: str
    activity: str
    province: str
    commune: str


class SearchOut(Schema):
    kind: str = Field(description="What the query was read as: name, number, cnie or phone")
    page: int
    pages: int
    total: int
    truncated: bool
    results: list[HitOut]
    # Filters that were not among the offered choices, dropped: one message each.
    warnings: list[str] = []


def _hit(hit: Hit) -> dict:
    return {
        "kind": hit.kind,
        "number": hit.number,
        "application": None if hit.is_registration else hit.pk,
        "name_ar": hit.name_ar,
        "name_latin": hit.name_latin,
        "category": hit.category,
        "status": hit.status,
        "activity": hit.activity_code,
        "province": hit.province_code,
        "commune": hit.commune_code,
    }


@router.get("/", response={200: SearchOut, **ERRORS}, summary="Search the register")
def search_register(request, params: Query[SearchIn]):
    """Registrations and pending applications in the caller's territory, best first.

    Prefer POST with the same fields in the body: a name in the address ends up in
    access logs (docs/decisions/0077)."""
    return _search(request, params)


@router.post(
    "/", response={200: SearchOut, **ERRORS}, summary="Search the register (name in the body)"
)
def search_register_by_post(request, params: SearchIn):
    """The same search, asked in the body, where no access log keeps the name."""
    return _search(request, params)


def _search(request, params: SearchIn) -> dict:
    user = request.auth
    if not has_capability(user, Capability.VIEW_WORKSPACE):
        raise Forbidden()
    data = params.dict()
    filters, warnings = filters_from(data, user)
    results = search(user, data["q"], filters, page=data["page"])
    return {
        "kind": results.kind,
        "page": results.page,
        "pages": results.pages,
        "total": results.total,
        "truncated": results.truncated,
        "results": [_hit(hit) for hit in results.hits],
        "warnings": warnings,
    }
