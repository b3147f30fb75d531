"""A point where a test stops the server: right after an item's transaction committed and
before its answer is written (docs/decisions/0060). Off unless a test arms it."""

import os

from django.conf import settings


class ServerStopped(BaseException):
    """Raised in a request's thread: the threaded test server closes the connection without
    an answer, as a killed process would."""


_armed = {"stops": 0}


def stop_after_next_apply(times: int = 1) -> None:
    """Arm the stop for the next `times` applied items (in-process test servers)."""
    _armed["stops"] = times


def after_commit(item) -> None:
    if settings.FIELD_EXIT_AFTER_APPLY:  # a server run as a subprocess: really exit
        os._exit(70)
    if _armed["stops"] > 0:
        _armed["stops"] -= 1
        raise ServerStopped(str(item.uuid))
