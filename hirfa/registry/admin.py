from django.contrib import admin

from hirfa.core.admin import ReadOnlyAdmin
from hirfa.registry import services
from hirfa.registry.models import Notice, Subscriber, Subscription


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Administrators register the programmes that may call the API (their key and
    notification address); each change is audited by the service."""

    list_display = ("name", "sender_id", "callback_url", "active")
    list_filter = ("active",)
    search_fields = ("name", "sender_id")

    def save_model(self, request, obj, form, change):
        services.save_subscriber(actor=request.user, subscriber=obj)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("subscriber", "event_type", "code", "created_at", "ended_at")
    list_filter = ("event_type",)
    list_select_related = ("subscriber",)


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = (
        "message_id",
        "event_type",
        "created_at",
        "delivered_at",
        "attempts",
        "last_error",
    )
    list_filter = ("event_type",)
