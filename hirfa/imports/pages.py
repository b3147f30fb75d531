"""Staff pages of imports from the browser and of exports prepared in the background.

Thin: the services check and queue (`uploads`), the selectors say whose runs one sees
(one's own: anyone else's is a 404), the policy says who may import or resume."""

import io
import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from hirfa.core.errors import DomainError, Forbidden, NotFound
from hirfa.imports import exports, selectors, services, uploads
from hirfa.imports.models import ExportJob, ImportRun
from hirfa.imports.policy import may_export, may_import, may_resume

PAGE_SIZE = 20


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("List of artisans (CSV or XLSX)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _importer(user) -> None:
    if not may_import(user):
        raise PermissionDenied


def _own_run(user, pk) -> ImportRun:
    _importer(user)
    try:
        return selectors.run_for(user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def imports_page(request):
    user = request.user
    _importer(user)
    error, status = None, 200
    if request.method == "POST":
        try:
            run = uploads.start_import(
                actor=user, upload=request.FILES.get("file"), language=get_language()
            )
        except Forbidden:
            raise PermissionDenied from None
        except DomainError as failure:
            error, status = failure, failure.status
        else:
            return redirect("imports:run", run.pk)
    page = Paginator(selectors.runs_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": UploadForm(),
        "error": error,
        "max_mb": round(settings.IMPORT_MAX_BYTES / 1_048_576),
    }
    return render(request, "imports/imports.html", context, status=status)


def _run_context(user, run: ImportRun) -> dict:
    return {
        "run": run,
        "progress": selectors.progress_of(run),
        "may_resume": may_resume(user, run),
    }


@login_required
@require_GET
def run_page(request, pk):
    run = _own_run(request.user, pk)
    return render(request, "imports/run.html", _run_context(request.user, run))


@login_required
@require_GET
def run_progress(request, pk):
    """The progress panel alone, polled by htmx while the import runs."""
    run = _own_run(request.user, pk)
    return render(request, "imports/_progress.html", _run_context(request.user, run))


@login_required
@require_POST
def run_resume(request, pk):
    run = _own_run(request.user, pk)
    try:
        uploads.resume_import(actor=request.user, run=run)
    except DomainError as failure:
        messages.error(request, failure.message)
    return redirect("imports:run", run.pk)


@login_required
@require_GET
def run_report(request, pk):
    """The per-row report (CSV), in the language the import was started in."""
    run = _own_run(request.user, pk)
    uploads.log_download(actor=request.user, obj=run)
    target = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the FileResponse)
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    services.write_report(run, text)
    text.flush()
    text.detach()
    target.seek(0)
    return FileResponse(
        target,
        as_attachment=True,
        filename=f"import-{run.pk}-report.csv",
        content_type="text/csv; charset=utf-8",
    )


# --- Exports prepared in the background ---


def _own_export(user, pk) -> ExportJob:
    if not may_export(user):
        raise PermissionDenied
    try:
        return selectors.export_for(user, pk)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def export_queue(request):
    try:
        export = uploads.queue_export(
            user=request.user, params=request.POST, language=get_language()
        )
    except Forbidden:
        raise PermissionDenied from None
    except DomainError as failure:
        messages.error(request, failure.message)
        return _go(request, reverse("imports:export"))
    return _go(request, reverse("imports:export_job", args=[export.pk]))


def _go(request, url: str) -> HttpResponse:
    """A redirect; asked by htmx (the export form's buttons), one htmx follows as a page."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_GET
def export_job_page(request, pk):
    export = _own_export(request.user, pk)
    return render(request, "imports/export_job.html", _export_context(export))


@login_required
@require_GET
def export_job_status(request, pk):
    """The export's state alone, polled by htmx until its file is ready."""
    export = _own_export(request.user, pk)
    return render(request, "imports/_export_status.html", _export_context(export))


def _export_context(export: ExportJob) -> dict:
    return {"export": export, "kept_days": settings.EXPORT_FILES_KEPT_DAYS}


@login_required
@require_GET
def export_job_file(request, pk):
    export = _own_export(request.user, pk)
    if export.status != ExportJob.Status.DONE or not export.file:
        raise Http404
    try:
        handle = export.file.open("rb")
    except OSError:
        raise Http404 from None
    uploads.log_download(actor=request.user, obj=export)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"registrations-{export.created_at:%Y%m%d}-{export.pk}.{export.file_format}",
        content_type=exports.FORMATS[export.file_format],
    )
