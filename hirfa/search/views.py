"""The staff search page: one box for numbers, identity cards, phones and names.

Results come as the user types (htmx swaps the results block); without JavaScript the
form submits as usual. Everything read goes through `hirfa.search.selectors.search`,
which keeps to the user's territorial scope.

What is typed never goes into an address (`hirfa/core/kept_searches.py`): the form is
posted, and the results are at `/search/?s=<id of the search kept in the session>`. An
address with `q` (a link or bookmark made before) is still answered.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from hirfa.accounts.roles import Capability, has_capability
from hirfa.accounts.selectors import provinces_for, regions_for
from hirfa.core import kept_searches
from hirfa.crafts.models import Activity
from hirfa.register.filters import clean_filters, ignored, status_choices
from hirfa.register.models import Category
from hirfa.search.selectors import Filters, search
from hirfa.territory.models import Commune


def _int(value, default: int = 1) -> int:
    try:
        return max(1, min(int(str(value)), 10_000))
    except (TypeError, ValueError):
        return default


SEARCH_FILTERS = ("region", "province", "commune", "activity", "category", "status")


def filters_from(params, user) -> tuple[Filters, list[str]]:
    """The filters of a request, each kept only if it is one of the offered choices; the
    others dropped, with a message each (`register/filters.py`)."""
    filters, problems = clean_filters(user, params, only=SEARCH_FILTERS, with_open_files=True)
    return filters, ignored(problems)


def hit_link(user, hit) -> str:
    if hit.is_registration:
        return reverse("register_staff:registration", args=[hit.number])
    if has_capability(user, Capability.REVIEW):
        return reverse("register_staff:decision", args=[hit.pk])
    if has_capability(user, Capability.FILE_ASSISTED):
        return reverse("register_staff:desk_dossier", args=[hit.pk])
    return ""


def results_address(search_id: str) -> str:
    return f"{reverse('search:search')}?s={search_id}"


@login_required
@require_http_methods(["GET", "POST"])
def search_page(request):
    user = request.user
    if not has_capability(user, Capability.VIEW_WORKSPACE):
        raise PermissionDenied
    asked, search_id, expired = kept_searches.asked(request, ("q", *SEARCH_FILTERS))
    if request.method == "POST" and request.headers.get("HX-Request") != "true":
        return redirect(results_address(search_id))
    query = str(asked.get("q") or "").strip()[:100]
    filters, warnings = filters_from(asked, user)
    if expired:
        warnings.append(kept_searches.EXPIRED)
    results = search(user, query, filters, page=_int(request.GET.get("page")))
    for hit in results.hits:
        hit.link = hit_link(user, hit)
    context = {
        "search_id": search_id,
        "query": query,
        "filters": filters,
        "warnings": warnings,
        "results": results,
        # The filters fold away unless one is used: on a phone the results come first.
        "active_filters": sum(bool(getattr(filters, name)) for name in SEARCH_FILTERS),
    }
    if request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    ):
        response = render(request, "search/_results.html", context)
    else:
        context.update(
            regions=regions_for(user).order_by("code"),
            provinces=provinces_for(user).order_by("code"),
            communes=Commune.objects.filter(province__code=filters.province).order_by("code")
            if filters.province
            else [],
            activities=Activity.objects.filter(is_active=True).order_by("position", "code"),
            categories=Category.choices,
            statuses=status_choices(with_open_files=True),
        )
        response = render(request, "search/search.html", context)
    if request.method == "POST":
        # The address bar shows the id, never the words (htmx pushes it into the history).
        response["HX-Push-Url"] = results_address(search_id)
    patch_vary_headers(response, ["HX-Request"])
    return response
