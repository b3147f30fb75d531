"""One error shape for every API error: {"code", "message", "fields"}."""

import logging

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from hirfa.core.errors import DomainError

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


def _status_messages():
    return {
        400: ("bad_request", _("The request is not valid.")),
        401: ("not_authenticated", _("You must be authenticated to do this.")),
        403: ("forbidden", _("You are not allowed to do this.")),
        404: ("not_found", _("Not found.")),
        405: ("method_not_allowed", _("This method is not allowed here.")),
        409: ("conflict", _("This conflicts with the current state.")),
        413: ("too_large", _("The request is too large.")),
        429: ("too_many_requests", _("Too many requests. Please wait and try again.")),
    }


def _field_message(error: dict) -> str:
    """A translated message for a pydantic error, by its type."""
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("string_too_long", "too_long"):
        return _("Ensure this value has at most %(limit)s characters.") % {
            "limit": context.get("max_length", "?")
        }
    if kind in ("string_too_short", "too_short"):
        return _("Ensure this value has at least %(limit)s characters.") % {
            "limit": context.get("min_length", "?")
        }
    if kind.startswith("int_") or kind.startswith("float_") or kind.startswith("decimal_"):
        return _("Enter a valid number.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Enter a valid date.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _("This value is out of range.")
    if kind == "value_error" and error.get("msg"):
        # Raised by our own validators, whose messages are already translated.
        return str(error["msg"]).removeprefix("Value error, ")
    return _("This value is not valid.")


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "fields": fields or {}}


def _validation_fields(errors: list[dict]) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        # Drop the parameter source ("body", "query", "path") and the payload name.
        if location and location[0] in ("body", "query", "path", "form", "header", "cookie"):
            location = location[1:]
        if len(location) > 1 and location[0] in ("payload", "filters", "data"):
            location = location[1:]
        name = ".".join(location) or "__all__"
        fields.setdefault(name, []).append(_field_message(error))
    return fields


def install_error_handlers(api) -> None:
    def respond(request, status, code, message, fields=None):
        return api.create_response(request, error_body(code, message, fields), status=status)

    @api.exception_handler(DomainError)
    def domain_error(request, exc: DomainError):
        fields = {name: [str(m) for m in messages] for name, messages in exc.fields.items()}
        response = respond(request, exc.status, exc.code, exc.message, fields)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        return response

    @api.exception_handler(ValidationError)
    def validation_error(request, exc: ValidationError):
        fields = _validation_fields(exc.errors)
        return respond(request, 422, "invalid", _("The request is not valid."), fields)

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request, exc: DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        else:
            fields = {"__all__": [str(m) for m in exc.messages]}
        return respond(request, 422, "invalid", _("The request is not valid."), fields)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        code, message = _status_messages().get(
            exc.status_code, ("error", _("The request could not be processed."))
        )
        if isinstance(exc, (AuthenticationError, AuthorizationError)):
            return respond(request, exc.status_code, code, message)
        return respond(request, exc.status_code, code, message)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        code, message = _status_messages()[404]
        return respond(request, 404, code, message)

    @api.exception_handler(ObjectDoesNotExist)
    def object_not_found(request, exc):
        code, message = _status_messages()[404]
        return respond(request, 404, code, message)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request, exc):
        code, message = _status_messages()[403]
        return respond(request, 403, code, message)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("Unhandled API error on %s", request.path)
        return respond(request, 500, "server_error", _("Something went wrong on our side."))
