"""Reads on the crafts nomenclature."""

import re

from django.db.models import Prefetch, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from hirfa.core import pagecache
from hirfa.core.errors import NotFound
from hirfa.core.memo import ProcessMemo
from hirfa.crafts.models import Activity, Branch, Category, NomenclatureRelease

# Same rule as the importer: anything else cannot be a code, so it is unknown
# without asking the database (and never sends control characters to it).
_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,15}", re.ASCII)


def _is_code(code: str) -> bool:
    return bool(code) and _CODE.fullmatch(code) is not None


def current_release() -> NomenclatureRelease | None:
    return NomenclatureRelease.objects.order_by("-loaded_at", "-id").first()


# The public pages' reads, kept per process (docs/decisions/0058): forgotten when a list is
# loaded or edited (`forget_public_reads`, connected in apps.py), and after a minute elsewhere.
_release_in_force = ProcessMemo(current_release)


def _activity_names(language: str) -> dict[str, str]:
    with translation.override(language):
        return {a.code: a.name for a in Activity.objects.all()}


_activity_names_memo = ProcessMemo(_activity_names)


def release_in_force() -> NomenclatureRelease | None:
    """The current release, read once a minute per process: for the public pages."""
    return _release_in_force.get()


def activity_names() -> dict[str, str]:
    """Code → name in the active language of every activity, retired ones included."""
    return _activity_names_memo.get(translation.get_language() or "ar")


def forget_public_reads(*args, **kwargs) -> None:
    pagecache.forget()
    _release_in_force.forget()
    _activity_names_memo.forget()


def current_release_or_404() -> NomenclatureRelease:
    release = current_release()
    if release is None:
        raise NotFound(_("The list of crafts has not been loaded yet."))
    return release


def nomenclature_tree(*, include_retired: bool = False) -> QuerySet[Category]:
    """Categories with their branches and activities, in official order."""
    branches = Branch.objects.order_by("position", "code")
    activities = Activity.objects.order_by("position", "code")
    categories = Category.objects.order_by("position", "code")
    if not include_retired:
        branches = branches.filter(is_active=True)
        activities = activities.filter(is_active=True)
        categories = categories.filter(is_active=True)
    return categories.prefetch_related(
        Prefetch(
            "branches",
            queryset=branches.prefetch_related(Prefetch("activities", queryset=activities)),
        )
    )


def category_by_code(code: str) -> Category:
    """The category with this code, retired or not; raises NotFound for an unknown code."""
    category = Category.objects.filter(code=code).first() if _is_code(code) else None
    if category is None:
        raise NotFound(_("Unknown category code."))
    return category


def branch_by_code(code: str) -> Branch:
    """The branch with this code, retired or not; raises NotFound for an unknown code."""
    branch = (
        Branch.objects.select_related("category").filter(code=code).first()
        if _is_code(code)
        else None
    )
    if branch is None:
        raise NotFound(_("Unknown branch code."))
    return branch


def activities(
    *,
    branch: str | None = None,
    category: str | None = None,
    active: bool | None = True,
    q: str | None = None,
) -> QuerySet[Activity]:
    """Activities in official order, filtered; an unknown branch or category raises NotFound.

    `active=None` gives active and retired activities alike. `q` keeps activities
    whose names (Arabic, French or Tifinagh) contain every word of it.
    """
    queryset = Activity.objects.select_related("branch__category").order_by("position", "code")
    if branch:
        queryset = queryset.filter(branch=branch_by_code(branch))
    if category:
        queryset = queryset.filter(branch__category=category_by_code(category))
    if active is not None:
        queryset = queryset.filter(is_active=active)
    for word in (q or "").split():
        queryset = queryset.filter(
            Q(name_ar__icontains=word) | Q(name_fr__icontains=word) | Q(name_zgh__icontains=word)
        )
    return queryset


def activity_by_code(code: str) -> Activity:
    """The activity with this code, retired or not; raises NotFound for an unknown code.

    Retired activities stay readable: registrations made under them still show them.
    """
    activity = (
        Activity.objects.select_related("branch__category").filter(code=code).first()
        if _is_code(code)
        else None
    )
    if activity is None:
        raise NotFound(_("Unknown activity code."))
    return activity
