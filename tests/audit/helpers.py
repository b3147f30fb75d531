"""Ways to play the attacker: reach past the append-only protection of the table."""

from django.db import connection


def drop_append_only_triggers():
    """Drop the triggers for the rest of the test.

    DDL is transactional on PostgreSQL and SQLite, so the test's rollback puts them
    back; only call this in tests that run inside a transaction (the default).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_auditentry_append_only ON audit_auditentry")
        else:
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
            cursor.execute("DROP TRIGGER audit_auditentry_no_delete")


def raw_update(entry_id: int, column: str, value):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE audit_auditentry SET {column} = %s WHERE id = %s", [value, entry_id]
        )


def raw_delete(entry_id: int):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry_id])
