"""One response model per response type, shared by the API's operations.

django-ninja wraps the model of each response an operation declares in a model of its own
(`{"response": <model>}`), one per status code and operation, whose pydantic schema is
built when the operation is declared: the API's 80 operations made 468 of them, 381 around
ErrorOut — half the cost of building the API, paid by every process that loads the URLconf.
The wrapper holds nothing of its operation (only the annotation), so one per response type
serves them all: same validation, same OpenAPI document (docs/decisions/0090).
"""

from functools import cache

from ninja.operation import Operation

_own_wrapper = Operation._create_response_model


@cache
def _shared_wrapper(response_param):
    return _own_wrapper(None, response_param)


def _create_response_model(self, response_param):
    try:
        return _shared_wrapper(response_param)
    except TypeError:  # an annotation that cannot be a key: a wrapper of its own
        return _own_wrapper(self, response_param)


def share_response_models() -> None:
    """In `CoreConfig.ready()`: before any router is imported (an operation is declared, its
    wrappers made, when its router's module is imported)."""
    Operation._create_response_model = _create_response_model
