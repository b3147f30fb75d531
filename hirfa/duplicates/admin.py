from django.contrib import admin

from hirfa.core.admin import ReadOnlyAdmin
from hirfa.duplicates.models import Candidate, Merge


@admin.register(Candidate)
class CandidateAdmin(ReadOnlyAdmin):
    """Reviewers decide on the decision screen (services); here candidates are only read."""

    list_display = ["id", "person", "other", "score", "source", "status", "cluster"]
    list_filter = ["status", "source"]
    readonly_fields = [field.name for field in Candidate._meta.fields]


@admin.register(Merge)
class MergeAdmin(ReadOnlyAdmin):
    list_display = ["id", "merged", "into", "by", "at"]
    readonly_fields = [field.name for field in Merge._meta.fields]
