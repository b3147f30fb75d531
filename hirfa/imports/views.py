"""Staff screen of exports: a filter form and the download it leads to."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from hirfa.accounts.selectors import provinces_for, regions_for
from hirfa.core.errors import DomainError, Forbidden
from hirfa.crafts.models import Activity
from hirfa.imports import exports, selectors
from hirfa.imports.policy import may_export
from hirfa.register.models import Category, Registration


def response_for(user, params):
    """The streamed file for these filters; DomainError if they are not valid."""
    fmt = str(params.get("format") or "csv")
    filters = exports.clean_filters(user, params)
    queryset, _count = exports.start_export(user, filters, fmt)
    name = exports.file_name(fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_chunks(queryset), content_type=exports.FORMATS["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(
        exports.xlsx_file(queryset),
        as_attachment=True,
        filename=name,
        content_type=exports.FORMATS["xlsx"],
    )


@login_required
@require_GET
def export_page(request):
    user = request.user
    if not may_export(user):
        raise PermissionDenied
    error = None
    if request.GET.get("format"):
        try:
            return response_for(user, request.GET)
        except Forbidden:
            raise PermissionDenied from None
        except DomainError as failure:
            error = failure
    territories = [(r.code, r.name) for r in regions_for(user).order_by("code")] + [
        (p.code, p.name) for p in provinces_for(user).order_by("code")
    ]
    context = {
        "territories": territories,
        "activities": Activity.objects.filter(is_active=True).order_by("code"),
        "categories": Category.choices,
        "statuses": Registration.Status.choices,
        "values": request.GET,
        "error": error,
        "prepared": selectors.exports_for(user).order_by("-created_at", "-id")[:5],
    }
    return render(request, "imports/export.html", context, status=400 if error else 200)
