"""The artisan's data in the JSON API: GET /api/v1/me/data (Law 09-08, right of access)."""

from ninja import Router

from hirfa.accounts.api_auth import authenticated
from hirfa.core.api_errors import ErrorOut
from hirfa.privacy import services

router = Router(tags=["personal data"], auth=authenticated)


@router.get(
    "/data",
    response={200: dict, 401: ErrorOut, 403: ErrorOut},
    summary="Everything the register holds about me (artisan); the download is audited",
)
def my_data(request):
    return services.export_personal_data(actor=request.auth, export_format="api")
