"""Exports in the JSON API: the file itself, streamed (CSV or XLSX)."""

from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from hirfa.accounts.api_auth import authenticated
from hirfa.core.api_errors import ErrorOut
from hirfa.imports.views import response_for

router = Router(tags=["exports"], auth=authenticated)


class ExportQuery(Schema):
    format: Literal["csv", "xlsx"] = "csv"
    territory: str = Field("", max_length=40, description="code of a region or a province")
    activity: str = Field("", max_length=40, description="code of the principal activity")
    category: str = Field("", max_length=40)
    status: str = Field("", max_length=40)


@router.get(
    "/registrations",
    response={200: None, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="Export registrations in my territory (CSV or XLSX file)",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The file",
                "content": {
                    "text/csv": {"schema": {"type": "string"}},
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {
                        "schema": {"type": "string", "format": "binary"}
                    },
                },
            }
        }
    },
)
def export_registrations(request, query: Query[ExportQuery]):
    return response_for(request.auth, query.dict())
