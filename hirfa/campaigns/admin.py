from django.contrib import admin

from hirfa.campaigns.models import Campaign, OptOut
from hirfa.core.admin import ReadOnlyAdmin


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    """A read-only view of the campaigns; chamber agents run them from their pages."""

    list_display = ["created_at", "name", "channel", "state", "region", "recipients_count"]
    list_filter = ["state", "channel", "region"]
    search_fields = ["name"]
    list_select_related = ["region"]
    date_hierarchy = "created_at"


@admin.register(OptOut)
class OptOutAdmin(ReadOnlyAdmin):
    """Who asked for no more campaign messages, and how."""

    list_display = ["at", "address", "person", "source", "campaign"]
    list_filter = ["source"]
    search_fields = ["address"]
    list_select_related = ["person", "campaign"]
    date_hierarchy = "at"
