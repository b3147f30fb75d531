from django.db.models import Prefetch, QuerySet

from hirfa.crafts.models import Activity, Branch, Category, NomenclatureRelease


def current_release() -> NomenclatureRelease | None:
    return NomenclatureRelease.objects.order_by("-loaded_at", "-id").first()


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
        Prefetch("branches", queryset=branches.prefetch_related(
            Prefetch("activities", queryset=activities)
        ))
    )


def activities(*, branch: str | None = None, active: bool | None = True) -> QuerySet[Activity]:
    queryset = Activity.objects.select_related("branch__category").order_by("position", "code")
    if branch:
        queryset = queryset.filter(branch__code=branch)
    if active is not None:
        queryset = queryset.filter(is_active=active)
    return queryset


def activity_by_code(code: str) -> Activity:
    """The activity with this code; raises Activity.DoesNotExist for an unknown code."""
    return Activity.objects.select_related("branch__category").get(code=code)
