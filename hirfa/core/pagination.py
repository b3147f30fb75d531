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


class Rows:
    """A queryset a page turns into rows of the answer, counted and sliced in the database.

    `@paginate(Pages)` over a list builds the user's whole scope in memory before cutting a
    page out of it; over `Rows(queryset, out=..., shown=...)` it counts with one `COUNT`,
    fetches only the page, then tells `shown` which rows the page holds (the reads of
    personal data to log) and answers `out(row)` for each.
    """

    def __init__(self, queryset, *, out, shown=None):
        self.queryset = queryset
        self.out = out
        self.shown = shown

    def all(self):
        return self

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, page: slice) -> list:
        rows = list(self.queryset[page])
        if self.shown is not None:
            self.shown(rows)
        return [self.out(row) for row in rows]
