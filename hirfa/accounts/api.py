from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from hirfa.accounts import selectors, services
from hirfa.accounts.api_auth import authenticated
from hirfa.core.api_errors import ErrorOut
from hirfa.core.schemas import NamedOut

router = Router(tags=["accounts"], auth=authenticated)

ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ScopeOut(Schema):
    national: bool
    region: str | None
    province: str | None


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    role_label: str
    scope: ScopeOut


class OrganisationOut(NamedOut):
    kind: str
    region: str | None
    province: str | None


class StaffOut(Schema):
    username: str
    full_name: str
    role: str
    organisation: str | None
    region: str | None
    province: str | None


class ProvinceWorkspaceOut(NamedOut):
    kind: str
    region: str
    communes: int
    population: int


def _organisation_out(organisation) -> dict:
    return {
        "code": organisation.code,
        "name": organisation.name,
        "name_ar": organisation.name_ar,
        "name_fr": organisation.name_fr,
        "name_zgh": organisation.name_zgh,
        "kind": organisation.kind,
        "region": organisation.region.code if organisation.region else None,
        "province": organisation.province.code if organisation.province else None,
    }


def _staff_out(user) -> dict:
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "organisation": user.organisation.code if user.organisation else None,
        "region": user.scope_region.code if user.scope_region else None,
        "province": user.scope_province.code if user.scope_province else None,
    }


def _province_out(province) -> dict:
    return {
        "code": province.code,
        "name": province.name,
        "name_ar": province.name_ar,
        "name_fr": province.name_fr,
        "name_zgh": province.name_zgh,
        "kind": province.kind,
        "region": province.region.code,
        "communes": province.communes.count(),
        "population": province.population,
    }


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The authenticated user")
def me(request):
    user = request.auth
    user = selectors.User.objects.select_related("scope_region", "scope_province").get(pk=user.pk)
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "role_label": str(user.get_role_display()),
        "scope": {
            "national": selectors.scope_of(user).national,
            "region": user.scope_region.code if user.scope_region else None,
            "province": user.scope_province.code if user.scope_province else None,
        },
    }


@router.get(
    "/workspace/provinces",
    response={200: list[ProvinceWorkspaceOut], **ERRORS},
    summary="Provinces in my scope",
)
def workspace_provinces(request):
    return [_province_out(p) for p in selectors.provinces_for(request.auth)]


@router.get(
    "/workspace/provinces/{code}",
    response={200: ProvinceWorkspaceOut, **ERRORS},
    summary="One province of my scope",
)
def workspace_province(request, code: str):
    return _province_out(selectors.province_for(request.auth, code))


@router.get(
    "/organisations", response={200: list[OrganisationOut], **ERRORS}, summary="Organisations"
)
def organisations(request):
    return [_organisation_out(o) for o in selectors.organisations_for(request.auth)]


@router.get(
    "/organisations/{code}", response={200: OrganisationOut, **ERRORS}, summary="An organisation"
)
def organisation(request, code: str):
    return _organisation_out(selectors.organisation_for(request.auth, code))


@router.get("/staff", response={200: list[StaffOut], **ERRORS}, summary="Staff in my scope")
def staff(request):
    return [_staff_out(u) for u in selectors.staff_for(request.auth)]


@router.get("/staff/{username}", response={200: StaffOut, **ERRORS}, summary="A staff member")
def staff_member(request, username: str):
    return _staff_out(selectors.staff_member_for(request.auth, username))


class SignupIn(Schema):
    phone: str = Field(max_length=30)
    password: str = Field(max_length=200)
    first_name: str = Field(max_length=100)
    last_name: str = Field(max_length=100)


class PhoneIn(Schema):
    phone: str = Field(max_length=30)


class PhoneCodeIn(PhoneIn):
    code: str = Field(max_length=12)


class AcceptedOut(Schema):
    message: str


class TokenOut(Schema):
    token: str
    username: str


PUBLIC_ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}


@router.post(
    "/accounts/signup",
    auth=None,
    response={202: AcceptedOut, **PUBLIC_ERRORS},
    summary="Open an artisan account by phone (a code is sent by SMS)",
)
def signup(request, payload: SignupIn):
    services.start_phone_signup(
        payload.phone, payload.password, payload.first_name, payload.last_name
    )
    return Status(202, {"message": str(_("We sent a code by SMS to your phone."))})


@router.post(
    "/accounts/signup/resend",
    auth=None,
    response={202: AcceptedOut, **PUBLIC_ERRORS},
    summary="Send a new code",
)
def signup_resend(request, payload: PhoneIn):
    services.resend_phone_code(payload.phone)
    return Status(202, {"message": str(_("We sent a code by SMS to your phone."))})


@router.post(
    "/accounts/signup/confirm",
    auth=None,
    response={201: TokenOut, **PUBLIC_ERRORS},
    summary="Confirm the phone with the code; answers with an API token for the artisan",
)
def signup_confirm(request, payload: PhoneCodeIn):
    user = services.confirm_phone(payload.phone, payload.code)
    _token, secret = services.create_api_token(user=user, name="mobile sign-up", created_by=None)
    return Status(201, {"token": secret, "username": user.username})
