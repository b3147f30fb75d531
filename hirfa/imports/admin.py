from django.contrib import admin

from hirfa.core.admin import ReadOnlyAdmin
from hirfa.imports.models import ExportJob, ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdmin):
    """Imports are made by `hirfa import_artisans`; here they are only read."""

    list_display = ["id", "file_name", "status", "last_row", "imported", "skipped", "rejected"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in ImportRun._meta.fields]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    """Exports prepared in the background (ADR 0055); here they are only read."""

    list_display = ["id", "actor", "file_format", "status", "rows_total", "created_at"]
    list_filter = ["status", "file_format"]
    readonly_fields = [field.name for field in ExportJob._meta.fields]
