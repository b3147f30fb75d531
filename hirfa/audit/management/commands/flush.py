"""Django's `flush`, which on SQLite lifts the audit trail's delete guard for the flush only.

SQLite empties tables with DELETE, which the trigger `audit_auditentry_no_delete`
refuses (migration audit.0002). Flushing wipes the whole database; whoever may run it
may drop a trigger too, so lifting the guard for it gives nothing away. The trigger is
put back afterwards, whatever happens. PostgreSQL's flush uses TRUNCATE, which the row
trigger does not see, so nothing is needed there.
"""

from django.core.management.commands.flush import Command as DjangoFlush
from django.db import DEFAULT_DB_ALIAS, connections

GUARD = "audit_auditentry_no_delete"
CREATE_GUARD = f"""
    CREATE TRIGGER IF NOT EXISTS {GUARD}
    BEFORE DELETE ON audit_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only');
    END
"""


class Command(DjangoFlush):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite" or not _guarded(connection):
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {GUARD}")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                cursor.execute(CREATE_GUARD)


def _guarded(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = %s", [GUARD])
        return cursor.fetchone() is not None
