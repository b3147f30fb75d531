from hirfa.core.admin import ReadOnlyAdmin


class AuditEntryAdmin(ReadOnlyAdmin):
    """The trail, read-only: nobody adds, changes or deletes entries here.

    Registered by `hirfa/accounts/admin.py`, which opens it to the readers of the trail:
    who they are is a role's capability, and the audit, below the accounts, knows no roles.
    """

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
