"""Bulk imports of the chambers' legacy lists, and what each row became.

An `ImportRun` is one file (known by its SHA-256) being imported; it remembers the last
row committed, so an interrupted import resumes there. Rows are committed in chunks:
a chunk's people, registrations, `ImportedRow`s, `ImportIssue`s and the run's counters
are written in one transaction, so after a crash the database holds whole chunks only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        # The file proved unreadable past its first check; running it again resumes.
        FAILED = "failed", _("Failed")

    file_name = models.CharField(_("file name"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    file_format = models.CharField(_("format"), max_length=4)
    language = models.CharField(_("language of the report"), max_length=8)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("imported by"),
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.RUNNING
    )
    # Data rows are numbered from 1 (the header is not counted); rows up to
    # `last_row` are committed.
    last_row = models.PositiveIntegerField(_("last row committed"), default=0)
    imported = models.PositiveIntegerField(_("rows imported"), default=0)
    skipped = models.PositiveIntegerField(_("rows already in the register"), default=0)
    rejected = models.PositiveIntegerField(_("rows rejected"), default=0)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Imports from the browser (ADR 0055): the uploaded file, kept so that an interrupted
    # import can be resumed; the rows it holds (an estimate for a workbook); when the
    # current attempt began and at which row, for the time left; why it stopped. Defaults
    # in the database too: code of the previous release still inserts runs (rolling deploy).
    file = models.FileField(
        _("file"), upload_to="imports/%Y/%m/", max_length=200, blank=True, db_default=""
    )
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0, db_default=0)
    attempt_started_at = models.DateTimeField(_("attempt started at"), null=True, blank=True)
    attempt_first_row = models.PositiveIntegerField(
        _("first row of the attempt"), default=0, db_default=0
    )
    problem = models.TextField(_("problem"), blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.file_sha256[:12]})"


class ImportedRow(models.Model):
    """A row that became a registered artisan, with the chamber's own reference."""

    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="rows")
    row = models.PositiveIntegerField(_("row"))
    person = models.OneToOneField(
        "register.Person", on_delete=models.PROTECT, related_name="imported_from"
    )
    legacy_number = models.CharField(_("number in the chamber's list"), max_length=40, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "row"], name="one_import_per_row")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.row}"


class ImportIssue(models.Model):
    """Why a row was not imported (one issue per column at fault)."""

    class Kind(models.TextChoices):
        REJECTED = "rejected", _("Rejected")
        SKIPPED = "skipped", _("Already in the register")

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="issues")
    row = models.PositiveIntegerField(_("row"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    column = models.CharField(_("column"), max_length=60, blank=True)
    message = models.TextField(_("message"))

    class Meta:
        indexes = [models.Index(fields=["run", "row"])]

    def __str__(self) -> str:
        return f"{self.row} {self.column}: {self.message}"


class ExportJob(models.Model):
    """A large export prepared by a background job, into a file to download (ADR 0055)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("asked by"),
    )
    file_format = models.CharField(_("format"), max_length=4)
    filters = models.JSONField(_("filters"), default=dict)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", max_length=200, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.file_format})"
