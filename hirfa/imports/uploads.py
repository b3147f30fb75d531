"""Imports and exports started from the browser, run by background jobs (ADR 0055).

An uploaded list is checked before anything is written (kind, size, encoding, header:
the checks of `hirfa import_artisans`), kept in storage and imported by a job; its run
is the import's page, with its progress and its report. A large export is queued the
same way and leaves a file to download.
"""

import tempfile
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hirfa.audit.services import record, record_access
from hirfa.core.errors import Conflict, DomainError, Forbidden
from hirfa.imports import exports, jobs
from hirfa.imports.columns import FileProblem, check_file, file_format
from hirfa.imports.models import ExportJob, ImportRun
from hirfa.imports.policy import may_export, may_import, may_resume
from hirfa.imports.services import file_digest


def _refused(message) -> DomainError:
    return DomainError(message, fields={"file": [message]})


def _workbook_rows(path: Path) -> int:
    """The data rows a workbook declares (its dimension), for the progress bar."""
    from openpyxl import load_workbook  # at use, not at start-up (ADR 0090)

    try:
        workbook = load_workbook(path, read_only=True)
        try:
            rows = workbook.worksheets[0].max_row or 0
        finally:
            workbook.close()
    except Exception:  # an estimate only: the import itself says what is wrong
        return 0
    return max(rows - 1, 0)


def _save_upload(upload, path: Path) -> int:
    size = 0
    with open(path, "wb") as target:
        for block in upload.chunks():
            size += len(block)
            if size > settings.IMPORT_MAX_BYTES:
                break
            target.write(block)
    return size


def start_import(*, actor, upload, language: str) -> ImportRun:
    """Check an uploaded list, keep it and queue its import; the run to follow.

    The same list uploaded again by the same person leads to its run (resumed if it was
    interrupted); a list already imported by someone else is refused."""
    if not may_import(actor):
        raise Forbidden()
    if upload is None or not upload.size:
        raise _refused(_("The file did not arrive whole, or is empty: send it again."))
    name = Path(str(upload.name or "")).name[:255]
    try:
        fmt = file_format(Path(name))
    except FileProblem as problem:
        raise _refused(str(problem)) from None
    limit = settings.IMPORT_MAX_BYTES
    too_large = _("The file is larger than %(size)s MB: split it into several lists.") % {
        "size": round(limit / 1_048_576)
    }
    if upload.size > limit:
        raise _refused(too_large)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"list.{fmt}"
        if _save_upload(upload, path) > limit:
            raise _refused(too_large)
        try:
            check_file(path, fmt)
        except FileProblem as problem:
            raise _refused(str(problem)) from None
        digest, lines = file_digest(path)
        rows = max(lines - 1, 0) if fmt == "csv" else _workbook_rows(path)
        with transaction.atomic():
            run = ImportRun.objects.select_for_update().filter(file_sha256=digest).first()
            if run is not None:
                if run.actor_id != actor.pk:
                    raise Conflict(
                        _("This list has already been imported by another member of staff.")
                    )
                if may_resume(actor, run):
                    _queue(run, actor, "import.resumed")
                return run
            run = ImportRun(
                file_name=name,
                file_sha256=digest,
                file_format=fmt,
                language=language,
                actor=actor,
                rows_total=rows,
            )
            with open(path, "rb") as handle:
                run.file.save(f"{digest[:16]}.{fmt}", File(handle), save=False)
            run.save()
            _queue(run, actor, "import.started", file=name, sha256=digest, source="browser")
    return run


def _queue(run: ImportRun, actor, action: str, **data) -> None:
    record(actor=actor, action=action, obj=run, data={"from_row": run.last_row, **data})
    transaction.on_commit(partial(jobs.run_import.enqueue, run.pk), robust=True)


def resume_import(*, actor, run: ImportRun) -> ImportRun:
    """Queue an interrupted import again, from its last committed row."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if not may_resume(actor, run):
            raise Conflict(_("This import is not interrupted: there is nothing to resume."))
        # Touched, so that it does not look interrupted while its job waits to start.
        run.updated_at = timezone.now()
        run.problem = ""
        run.save(update_fields=["updated_at", "problem"])
        _queue(run, actor, "import.resumed")
    return run


def forget_old_exports(now=None) -> int:
    """Delete the files of exports prepared more than EXPORT_FILES_KEPT_DAYS ago (their rows,
    and their audit entries, stay); run each time an export is asked. Returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.EXPORT_FILES_KEPT_DAYS)
    old = list(ExportJob.objects.filter(created_at__lt=cutoff).exclude(file=""))
    for export in old:
        export.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[export.pk for export in old]).update(file="")
    return len(old)


def queue_export(*, user, params, language: str) -> ExportJob:
    """Queue an export of the registrations matching `params`, to download when ready."""
    if not may_export(user):
        raise Forbidden()
    forget_old_exports()
    fmt = str(params.get("format") or "csv")
    if fmt not in exports.FORMATS:
        raise DomainError(_("Export as CSV or XLSX."), fields={"format": [_("CSV or XLSX.")]})
    filters = exports.clean_filters(user, params)
    with transaction.atomic():
        export = ExportJob.objects.create(
            actor=user,
            file_format=fmt,
            filters={name: getattr(filters, name) for name in exports.EXPORT_FILTERS},
            language=language,
        )
        record(
            actor=user,
            action="registrations.export_queued",
            obj=export,
            data={"format": fmt, "filters": export.filters},
        )
        transaction.on_commit(partial(jobs.run_export.enqueue, export.pk), robust=True)
    return export


def log_download(*, actor, obj) -> None:
    """A file of personal data (a prepared export, an import's report) was downloaded: the
    trail says who took it (Law 09-08, decision 40)."""
    with transaction.atomic():
        record_access(actor=actor, obj=obj)
