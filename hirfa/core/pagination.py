"""Page numbers for API lists, bounded.

django-ninja's page number has no upper bound; an absurd page (2**70) reaches the database
as an OFFSET it cannot hold (SQLite answers "datatype mismatch", a server error). No list of
the register has anywhere near a million pages.
"""

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

MAX_PAGE = 1_000_000


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)
