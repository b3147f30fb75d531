"""A campaign's messages written straight into their tables: Django's bulk_create spends most
of a half-million-row launch building SQL (see `register.bulk`)."""

from django.db import connection

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


def next_ids(model, count: int) -> list[int]:
    """Ids for `count` new rows of `model`: from the sequence on PostgreSQL; on SQLite the
    transaction holds the write lock from its start, so the next ids are free (an
    AUTOINCREMENT id of a deleted row is not reused either)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                "FROM generate_series(1, %s)",
                [count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), "
            f"COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def insert(notifications: list[tuple], recipients: list[tuple]) -> None:
    """Rows in the column orders above."""
    insert_rows(Notification._meta.db_table, NOTIFICATION_COLUMNS, notifications)
    insert_rows(Recipient._meta.db_table, RECIPIENT_COLUMNS, recipients)
