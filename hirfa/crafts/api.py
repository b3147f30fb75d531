"""Public, read-only API of the crafts nomenclature."""

from datetime import datetime

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from hirfa.core.api_errors import ErrorOut
from hirfa.core.pagination import Pages
from hirfa.core.schemas import NamedOut
from hirfa.crafts import selectors

router = Router(tags=["crafts"])

ERRORS = {404: ErrorOut, 422: ErrorOut}
# Words to look for, not a pattern: control characters are refused outright.
SEARCH_PATTERN = r"^[^\x00-\x1f\x7f]*$"


class ActivityInTreeOut(NamedOut):
    is_active: bool


class BranchInTreeOut(NamedOut):
    is_active: bool
    activities: list[ActivityInTreeOut]


class CategoryTreeOut(NamedOut):
    is_active: bool
    branches: list[BranchInTreeOut]


class ActivityOut(NamedOut):
    is_active: bool
    branch: NamedOut
    category: NamedOut

    @staticmethod
    def resolve_category(activity) -> object:
        return activity.branch.category


class ReleaseOut(Schema):
    version: str
    provisional: bool
    loaded_at: datetime


@router.get(
    "/categories",
    response={200: list[CategoryTreeOut], **ERRORS},
    summary="The nomenclature as a tree of categories, branches and activities",
)
def categories(request, include_retired: bool = False):
    return list(selectors.nomenclature_tree(include_retired=include_retired))


@router.get(
    "/activities",
    response={200: list[ActivityOut], **ERRORS},
    summary="Craft activities, filtered and paginated",
)
@paginate(Pages, page_size=50)
def activities(
    request,
    branch: str | None = Query(None, description="Branch code"),
    category: str | None = Query(None, description="Category code"),
    active: bool = Query(True, description="Active activities, or retired ones when false"),
    q: str | None = Query(
        None, max_length=100, pattern=SEARCH_PATTERN, description="Words of the name"
    ),
):
    return selectors.activities(branch=branch, category=category, active=active, q=q)


@router.get(
    "/activities/{code}",
    response={200: ActivityOut, **ERRORS},
    summary="One craft activity, with its branch and category",
)
def activity(request, code: str):
    return selectors.activity_by_code(code)


@router.get("/release", response={200: ReleaseOut, **ERRORS}, summary="The list of crafts in force")
def release(request):
    return selectors.current_release_or_404()
