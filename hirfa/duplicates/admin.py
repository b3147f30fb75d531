from django.contrib import admin

from hirfa.duplicates.models import Candidate, Merge


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """Reviewers decide on the decision screen (services); here candidates are only read."""

    list_display = ["id", "person", "other", "score", "source", "status", "cluster"]
    list_filter = ["status", "source"]
    readonly_fields = [field.name for field in Candidate._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Merge)
class MergeAdmin(admin.ModelAdmin):
    list_display = ["id", "merged", "into", "by", "at"]
    readonly_fields = [field.name for field in Merge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
