"""The CNSS liaison's screens: batches, rejected lines, reconciliation, export and import.

Thin: reads through `hirfa.cnss.selectors`, writes through `hirfa.cnss.services`.
"""

import tempfile
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from hirfa.cnss import policy, selectors, services
from hirfa.cnss.connector import TransportError
from hirfa.cnss.messages import rejection_reason
from hirfa.cnss.models import Direction, Kind

PAGE_SIZE = 50


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Answer file from the CNSS (.jsonl)"))


def _liaison(request) -> None:
    if not policy.may_exchange(request.user):
        raise PermissionDenied


@login_required
@require_GET
def batches(request):
    _liaison(request)
    direction = request.GET.get("direction", "")
    kind = request.GET.get("kind", "")
    if direction not in Direction.values:
        direction = ""
    if kind not in Kind.values:
        kind = ""
    page = Paginator(
        selectors.batches_for(request.user, direction=direction, kind=kind), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "cnss/batches.html",
        {
            "page": page,
            "direction": direction,
            "kind": kind,
            "directions": Direction.choices,
            "kinds": Kind.choices,
            "refused": selectors.refused_files_for(request.user)[:20],
            "import_form": ImportForm(),
            "transport": settings.CNSS_TRANSPORT,
        },
    )


@login_required
@require_GET
def batch(request, batch_id):
    _liaison(request)
    item = selectors.batch_for(request.user, batch_id)
    page = Paginator(selectors.rejections_of(item), PAGE_SIZE).get_page(request.GET.get("page"))
    answers = selectors.batches_for(request.user).filter(in_reply_to=item.batch_id)
    rejected = selectors.cnss_rejections_of(item)
    shown = list(rejected[:PAGE_SIZE])
    for rejection in shown:
        rejection.reason_shown = rejection_reason(rejection.code, rejection.reason)
    return render(
        request,
        "cnss/batch.html",
        {
            "batch": item,
            "page": page,
            "answers": answers,
            "cnss_rejections": shown,
            "cnss_rejected": rejected.count() if len(shown) == PAGE_SIZE else len(shown),
        },
    )


@login_required
@require_GET
def batch_file(request, batch_id):
    _liaison(request)
    item = selectors.batch_for(request.user, batch_id)
    if not item.file:
        raise Http404
    return FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=f"{item.batch_id}.jsonl",
        content_type="application/x-ndjson",
    )


@login_required
@require_GET
def reconciliation(request):
    _liaison(request)
    missing = Paginator(selectors.missing_items(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "cnss/reconciliation.html",
        {"reconciliation": selectors.reconciliation(request.user), "page": missing},
    )


@login_required
@require_POST
def export_now(request):
    _liaison(request)
    try:
        exported = services.export_batches(actor=request.user)
    except TransportError:
        messages.error(request, _("The CNSS could not be reached; the batches will be sent later."))
        return redirect("cnss:batches")
    if not exported:
        messages.info(request, _("Nothing to send to the CNSS."))
    for item in exported:
        messages.success(
            request,
            _("Batch %(batch)s written: %(count)d records (%(status)s).")
            % {
                "batch": item.batch_id,
                "count": item.record_count,
                "status": item.get_status_display(),
            },
        )
    return redirect("cnss:batches")


@login_required
@require_POST
def import_upload(request):
    _liaison(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to import."))
        return redirect("cnss:batches")
    upload = form.cleaned_data["file"]
    settings.CNSS_WORK_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=settings.CNSS_WORK_DIR) as folder:
        path = Path(folder) / "upload.jsonl"
        with open(path, "wb") as copy:
            for chunk in upload.chunks():
                copy.write(chunk)
        report = services.import_file(path, actor=request.user)
    if report.refused:
        messages.error(
            request, _("File refused, nothing applied: %(reason)s") % {"reason": report.message}
        )
        return redirect("cnss:batches")
    if report.status == "already_imported":
        messages.info(
            request,
            _("%(batch)s was already imported: nothing changed.")
            % {"batch": report.batch.batch_id},
        )
    else:
        messages.success(
            request,
            _("%(batch)s: %(applied)d lines applied, %(rejected)d rejected.")
            % {
                "batch": report.batch.batch_id,
                "applied": report.applied,
                "rejected": report.rejected,
            },
        )
    return redirect("cnss:batch", batch_id=report.batch.batch_id)
