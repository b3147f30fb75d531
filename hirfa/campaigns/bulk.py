"""A campaign's messages written straight into their tables: Django's bulk_create spends most
of a half-million-row launch building SQL (see `register.bulk`)."""

from hirfa.campaigns.models import Recipient
from hirfa.notifications.models import Notification
from hirfa.register.bulk import insert_rows

NOTIFICATION_COLUMNS = [
    "id",
    "recipient_id",
    "channel",
    "address",
    "subject",
    "body",
    "language",
    "event",
    "status",
    "attempts",
    "created_at",
    "error",
    "gateway_id",
    "delivery_status",
]
RECIPIENT_COLUMNS = ["id", "campaign_id", "person_id", "language", "notification_id"]


def insert(notifications: list[tuple], recipients: list[tuple]) -> None:
    """Rows in the column orders above."""
    insert_rows(Notification._meta.db_table, NOTIFICATION_COLUMNS, notifications)
    insert_rows(Recipient._meta.db_table, RECIPIENT_COLUMNS, recipients)
