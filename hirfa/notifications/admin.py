from django.contrib import admin

from hirfa.core.admin import ReadOnlyAdmin
from hirfa.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """A read-only record of what was sent, to whom, and whether it arrived."""

    list_display = [
        "created_at",
        "event",
        "channel",
        "address",
        "recipient",
        "status",
        "delivery_status",
        "attempts",
    ]
    list_filter = ["channel", "status", "delivery_status", "event"]
    search_fields = ["address", "recipient__username", "event", "gateway_id"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
