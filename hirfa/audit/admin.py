from django.contrib import admin

from hirfa.accounts.roles import Capability, has_capability
from hirfa.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The trail, read-only: nobody adds, changes or deletes entries here."""

    list_display = [
        "id",
        "at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "province_code",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "actor_label"]
    date_hierarchy = "at"
    ordering = ["-id"]
    show_full_result_count = False
    fields = [
        "id",
        "at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "province_code",
        "reason",
        "data",
        "previous_hash",
        "hash",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return has_capability(request.user, Capability.READ_AUDIT) or super().has_view_permission(
            request, obj
        )

    def has_module_permission(self, request):
        return has_capability(request.user, Capability.READ_AUDIT) or super().has_module_permission(
            request
        )
