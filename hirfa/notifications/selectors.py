from django.db.models import QuerySet

from hirfa.notifications.models import DigestSubscription, InboxItem, Notification


def notifications_for(user) -> QuerySet[Notification]:
    """What was sent to `user`, newest first (one row per channel)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def open_items_of(user) -> QuerySet[InboxItem]:
    """What waits in `user`'s inbox, newest first, whatever their scope now (see
    `hirfa.accounts.selectors.inbox_for`, which applies it)."""
    if not getattr(user, "is_authenticated", False):
        return InboxItem.objects.none()
    return InboxItem.objects.filter(recipient=user, resolved_at__isnull=True).order_by(
        "-created_at", "-id"
    )


def digest_subscribers():
    """The users who asked for the daily e-mail, active ones only."""
    return (
        DigestSubscription.objects.filter(user__is_active=True)
        .select_related("user")
        .order_by("id")
    )
