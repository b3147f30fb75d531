from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hirfa.core.admin import ReadOnlyAdmin
from hirfa.crafts.models import Activity, Branch, Category, NomenclatureRelease
from hirfa.crafts.services import reactivate_entries, retire_entries


class NomenclatureAdmin(admin.ModelAdmin):
    """Entries come from the nomenclature file: codes, order and parents follow it.

    Names can be corrected here (a re-import of a different list will overwrite
    them). Entries are retired, never deleted: registrations refer to them.
    """

    list_display = ["code", "name_ar", "name_fr", "name_zgh", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name_ar", "name_fr", "name_zgh"]
    readonly_fields = ["code", "position", "is_active"]
    actions = ["retire", "reactivate"]

    def has_add_permission(self, request):
        # An entry added here would not be in the file and be retired by the next import.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Retire selected"), permissions=["change"])
    def retire(self, request, queryset):
        count = retire_entries(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d entry retired, with what lies beneath it.",
                "%(count)d entries retired, with what lies beneath them.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reactivate selected"), permissions=["change"])
    def reactivate(self, request, queryset):
        count = reactivate_entries(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d entry reactivated, with its branch and category.",
                "%(count)d entries reactivated, with their branches and categories.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Category)
class CategoryAdmin(NomenclatureAdmin):
    list_display = ["code", "name_ar", "name_fr", "name_zgh", "position", "is_active"]


@admin.register(Branch)
class BranchAdmin(NomenclatureAdmin):
    list_display = ["code", "name_ar", "name_fr", "category", "position", "is_active"]
    list_filter = ["is_active", "category"]
    list_select_related = ["category"]
    readonly_fields = [*NomenclatureAdmin.readonly_fields, "category"]


@admin.register(Activity)
class ActivityAdmin(NomenclatureAdmin):
    list_display = ["code", "name_ar", "name_fr", "branch", "position", "is_active"]
    list_filter = ["is_active", "branch__category", "branch"]
    list_select_related = ["branch"]
    readonly_fields = [*NomenclatureAdmin.readonly_fields, "branch"]


@admin.register(NomenclatureRelease)
class NomenclatureReleaseAdmin(ReadOnlyAdmin):
    """The history of imports, as recorded by the importer."""

    list_display = ["version", "provisional", "loaded_at", "checksum"]
    list_filter = ["provisional"]
    search_fields = ["version", "checksum"]
    fields = ["version", "provisional", "source", "checksum", "loaded_at", "summary"]
    readonly_fields = fields
