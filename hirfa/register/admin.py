"""The register in the admin.

The documents asked per category are configuration, edited here. Dossiers,
registrations and persons are shown read-only: they change only through the
register's services (review, decisions, suspension), which keep the audit trail and
the four-eyes rule; nothing is ever deleted. Opening a person's or a dossier's page
is logged like any other access to personal data (Law 09-08).
"""

from django.contrib import admin

from hirfa.audit.services import record_access
from hirfa.core.admin import ReadOnlyAdmin, every_field
from hirfa.register.models import DocumentRequirement, Dossier, Person, Registration


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(admin.ModelAdmin):
    """Which documents an application of each category must carry (configurable data)."""

    list_display = ["category", "code", "name_ar", "name_fr", "name_zgh", "required", "position"]
    list_display_links = ["code"]
    list_editable = ["required", "position"]
    list_filter = ["category", "required"]
    search_fields = ["code", "name_ar", "name_fr", "name_zgh", "name_en"]
    ordering = ["category", "position", "code"]


class RecordAdmin(ReadOnlyAdmin):
    """A table of the register (or of what hangs on it): large, every field shown."""

    show_full_result_count = False
    list_per_page = 50

    def get_readonly_fields(self, request, obj=None):
        return every_field(self.model)


@admin.register(Person)
class PersonAdmin(RecordAdmin):
    list_display = ["cnie", "last_name_latin", "first_name_latin", "last_name_ar", "commune"]
    list_select_related = ["commune"]
    search_fields = ["=cnie", "last_name_latin", "last_name_ar", "=phone"]
    exclude = ["photo"]

    def log_access(self, request, obj) -> None:
        record_access(
            actor=request.user, obj=obj, province_code=obj.commune.province.code, reason="admin"
        )


@admin.register(Dossier)
class DossierAdmin(RecordAdmin):
    list_display = ["id", "kind", "state", "category", "person", "province", "submitted_at"]
    list_filter = ["state", "kind", "category", "province__region"]
    list_select_related = ["person", "province"]
    search_fields = ["=id", "=person__cnie", "person__last_name_latin"]
    date_hierarchy = "created_at"

    def log_access(self, request, obj) -> None:
        if obj.person_id:
            record_access(
                actor=request.user,
                obj=obj.person,
                province_code=obj.province.code,
                reason=f"admin, dossier #{obj.pk}",
            )


@admin.register(Registration)
class RegistrationAdmin(RecordAdmin):
    list_display = [
        "number",
        "category",
        "status",
        "person",
        "entity",
        "province",
        "valid_until",
    ]
    list_filter = ["status", "category", "province__region"]
    list_select_related = ["person", "entity", "province"]
    search_fields = ["=number", "=person__cnie", "person__last_name_latin", "entity__name_fr"]
    date_hierarchy = "registered_on"

    def log_access(self, request, obj) -> None:
        if obj.person_id:
            record_access(
                actor=request.user,
                obj=obj.person,
                province_code=obj.province.code,
                reason=f"admin, registration {obj.number}",
            )
