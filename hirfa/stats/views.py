"""The statistics pages of a territory and their downloads. Thin: filters are checked by
`filters.clean`, figures read by `pages.tables_of` within the user's scope."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.selectors import provinces_for, regions_for
from hirfa.core.errors import DomainError
from hirfa.stats import downloads, filters, pages, policy, selectors
from hirfa.stats.labels import DIMENSION_LABELS

TITLES = {
    "registrations": _("Registered artisans"),
    "applications": _("Applications and decisions"),
    "cards": _("Professional cards"),
    "amo": _("Health coverage (AMO)"),
    "outreach": _("Outreach"),
}


def _page_or_404(page: str) -> str:
    if page not in TITLES:
        raise Http404
    return page


@login_required
def statistics(request, page="registrations"):
    if not policy.may_see_statistics(request.user):
        raise PermissionDenied
    page = _page_or_404(page)
    context = {
        "page": page,
        "title": TITLES[page],
        "pages": TITLES.items(),
        "dimensions": DIMENSION_LABELS.items(),
        "regions": regions_for(request.user) if policy.may_choose_region(request.user) else (),
        "provinces": (
            provinces_for(request.user) if policy.may_choose_province(request.user) else ()
        ),
        "params": request.GET,
    }
    try:
        chosen = filters.clean(request.user, request.GET)
    except DomainError as error:
        context["error"] = error
        return render(request, "statistics/page.html", context, status=400)
    _as_of, stale = selectors.as_of()
    context |= {
        "filters": chosen,
        "query": chosen.as_query(),
        "tables": pages.tables_of(page, request.user, chosen),
        "stale": stale,
    }
    return render(request, "statistics/page.html", context)


@login_required
def download(request, page, key, fmt):
    if not policy.may_see_statistics(request.user):
        raise PermissionDenied
    page = _page_or_404(page)
    if fmt not in downloads.FORMATS:
        raise Http404
    try:
        chosen = filters.clean(request.user, request.GET)
    except DomainError as error:
        messages = [str(m) for ms in error.fields.values() for m in ms]
        return HttpResponse(
            "\n".join([str(error.message), *messages]),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    table = next((t for t in pages.tables_of(page, request.user, chosen) if t.key == key), None)
    if table is None:
        raise Http404
    name = f"{table.key}-{chosen.start:%Y%m}-{chosen.end:%Y%m}.{fmt}"
    if fmt == "csv":
        response = HttpResponse(
            "\ufeff" + downloads.csv_text(table), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        downloads.xlsx_file(table),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
