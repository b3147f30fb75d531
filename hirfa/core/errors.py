"""Errors that services raise and every interface reports the same way."""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the register refused an operation; nothing was written.

    `message` and the `fields` messages are translatable strings; the HTML views
    show them to the user and the API returns them in its error shape.
    """

    status = 400
    code = "invalid"

    def __init__(self, message=None, *, fields=None, code=None, status=None):
        self.message = message if message is not None else _("The request is not valid.")
        self.fields = fields or {}
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        super().__init__(str(self.message))


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("Not found."), **kwargs)


class Forbidden(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message=None, **kwargs):
        super().__init__(message or _("You are not allowed to do this."), **kwargs)


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    """A budget of uses is spent; `retry_after`: seconds until it is given again."""

    status = 429
    code = "too_many_requests"

    def __init__(self, message=None, *, retry_after: int, **kwargs):
        self.retry_after = retry_after
        super().__init__(message or _("Too many requests. Please wait and try again."), **kwargs)
