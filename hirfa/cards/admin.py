from django.contrib import admin

from hirfa.cards.models import Card, CardPrint


class CardPrintInline(admin.TabularInline):
    model = CardPrint
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "reprint", "reason"]


@admin.register(Card)
class CardAdmin(admin.ModelAdmin):
    """Read only: cards change through the services (signed, audited), never by hand."""

    list_display = ["registration", "version", "status", "print_state", "issued_at", "province"]
    list_filter = ["status", "print_state", "issue_reason"]
    search_fields = ["registration__number"]
    inlines = [CardPrintInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
