from django.contrib import admin

from hirfa.cards.models import Card, CardPrint
from hirfa.core.admin import ReadOnlyAdmin


class CardPrintInline(admin.TabularInline):
    model = CardPrint
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "reprint", "reason"]


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    """Read only: cards change through the services (signed, audited), never by hand."""

    list_display = ["registration", "version", "status", "print_state", "issued_at", "province"]
    list_filter = ["status", "print_state", "issue_reason"]
    search_fields = ["registration__number"]
    inlines = [CardPrintInline]
