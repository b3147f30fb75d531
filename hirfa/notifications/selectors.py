from django.db.models import QuerySet

from hirfa.notifications.models import Notification


def notifications_for(user) -> QuerySet[Notification]:
    """What was sent to `user`, newest first (one row per channel)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
