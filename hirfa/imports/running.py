"""What the background jobs of imports and exports do (ADR 0055).

An import from the browser runs `services.import_file` on the file kept in storage: the
same service as `hirfa import_artisans`, so it resumes at the run's last committed row
whenever it is run again. A large export is written to a file in storage, to download.
Both are idempotent: a retry, or a worker's death, only runs them again.
"""

import contextlib
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from hirfa.core.errors import DomainError
from hirfa.imports import exports, inbox, services
from hirfa.imports.columns import FileProblem, read_rows
from hirfa.imports.models import ExportJob, ImportRun


@contextlib.contextmanager
def local_copy(field) -> Iterator[Path]:
    """A path on this machine to a stored file (its own, or a temporary copy)."""
    try:
        yield Path(field.path)
        return
    except NotImplementedError:  # a storage without local paths (object storage)
        pass
    suffix = Path(field.name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with field.open("rb") as source:
            shutil.copyfileobj(source, copy)
        copy.flush()
        yield Path(copy.name)


def _count_rows(path: Path, fmt: str) -> int:
    """The data rows of a workbook that does not declare them (for the progress bar)."""
    return max(sum(1 for _row in read_rows(path, fmt)) - 1, 0)


def continue_import(run_id: int) -> str:
    """Import the rest of a run's file; say how it ended."""
    run = ImportRun.objects.select_related("actor").filter(pk=run_id).first()
    if run is None or not run.file:
        return "missing"
    if run.status == ImportRun.Status.DONE:
        return "done"
    try:
        with local_copy(run.file) as path:
            total = run.rows_total or _count_rows(path, run.file_format)
    except FileProblem:
        total = 0
    ImportRun.objects.filter(pk=run.pk).update(
        rows_total=total,
        attempt_started_at=timezone.now(),
        attempt_first_row=run.last_row,
        problem="",
        updated_at=timezone.now(),
    )
    try:
        with local_copy(run.file) as path:
            services.import_file(path, actor=run.actor, language=run.language)
    except FileProblem as problem:
        run.refresh_from_db(fields=["status"])
        if run.status == ImportRun.Status.FAILED:
            # The file is damaged past its first rows: said on the run's page.
            ImportRun.objects.filter(pk=run.pk).update(problem=str(problem)[:2000])
            return "failed"
        return "busy"  # another worker is importing it
    # The list holds personal data: once imported, only its rows' outcomes are kept
    # (the register's records and the report); the uploaded file itself is deleted.
    run.refresh_from_db(fields=["status", "file"])
    if run.status == ImportRun.Status.DONE and run.file:
        run.file.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(file="")
    return "done"


def write_export(export_id: int) -> str:
    """Write a queued export to a file in storage, within the territory of who asked."""
    export = ExportJob.objects.select_related("actor").filter(pk=export_id).first()
    if export is None or export.status == ExportJob.Status.DONE:
        return "done"
    with translation.override(export.language):
        try:
            # Checked again now: who lost the right to export, or the territory, gets nothing.
            filters = exports.clean_filters(export.actor, export.filters)
        except DomainError:
            _failed(export)
            return "failed"
        try:
            count = _write(export, filters)
        except Exception:
            # Said on its page (which stops polling); the job's retry may still write it.
            _failed(export)
            raise
    with transaction.atomic():
        export.status, export.finished_at = ExportJob.Status.DONE, timezone.now()
        export.rows_total = export.rows_done = count
        export.save(update_fields=["status", "finished_at", "rows_total", "rows_done", "file"])
        inbox.export_ended(export)
    return "done"


def _failed(export: ExportJob) -> None:
    with transaction.atomic():
        export.status, export.finished_at = ExportJob.Status.FAILED, timezone.now()
        ExportJob.objects.filter(pk=export.pk).update(
            status=export.status, finished_at=export.finished_at
        )
        inbox.export_ended(export)


def _write(export: ExportJob, filters) -> int:
    queryset, count = exports.start_export(export.actor, filters, export.file_format)
    ExportJob.objects.filter(pk=export.pk).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now(), rows_total=count
    )
    name = exports.file_name(export.file_format)
    if export.file_format == "csv":
        with tempfile.TemporaryFile() as target:
            for text in exports.csv_chunks(queryset):
                target.write(text.encode("utf-8"))
            target.seek(0)
            export.file.save(name, File(target), save=False)
    else:
        with exports.xlsx_file(queryset) as target:
            export.file.save(name, File(target), save=False)
    return count
