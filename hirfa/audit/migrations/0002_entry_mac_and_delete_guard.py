"""Keyed entries and a delete guard on SQLite (docs/audit.md, docs/decisions/0033).

- Adds `mac`, the HMAC-SHA256 of each entry's hash under the audit key (a file outside
  the database, created here if missing), and fills it for the entries already written:
  their hashes and links are unchanged, so they verify as before and are now keyed too.
  The append-only triggers are lifted for that one UPDATE and put back.
- SQLite gets a DELETE trigger beside its UPDATE trigger (PostgreSQL's trigger already
  refuses both). Django's `flush`, which empties SQLite tables with DELETE, lifts it for
  the flush only (hirfa/audit/management/commands/flush.py).
"""

from django.db import migrations, models

from hirfa.audit import keys

SQLITE_NO_UPDATE = """
    CREATE TRIGGER audit_auditentry_no_update
    BEFORE UPDATE ON audit_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only');
    END
"""
SQLITE_NO_DELETE = """
    CREATE TRIGGER audit_auditentry_no_delete
    BEFORE DELETE ON audit_auditentry
    BEGIN
        SELECT RAISE(ABORT, 'audit entries are append-only');
    END
"""
BATCH = 5000


def _execute(schema_editor, *statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)


def _fill_macs(connection):
    key = keys.load_or_create(keys.key_path())
    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, hash FROM audit_auditentry WHERE id > %s AND mac IS NULL "
                "ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.executemany(
                "UPDATE audit_auditentry SET mac = %s WHERE id = %s",
                [(keys.entry_mac(key, entry_hash), entry_id) for entry_id, entry_hash in rows],
            )
            last = rows[-1][0]


def key_entries_and_guard_deletes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        table_trigger = "audit_auditentry DISABLE TRIGGER audit_auditentry_append_only"
        _execute(schema_editor, f"ALTER TABLE {table_trigger}")
        _fill_macs(connection)
        _execute(schema_editor, f"ALTER TABLE {table_trigger.replace('DISABLE', 'ENABLE')}")
    elif connection.vendor == "sqlite":
        _execute(schema_editor, "DROP TRIGGER IF EXISTS audit_auditentry_no_update")
        _fill_macs(connection)
        _execute(
            schema_editor,
            SQLITE_NO_UPDATE,
            "DROP TRIGGER IF EXISTS audit_auditentry_no_delete",
            SQLITE_NO_DELETE,
        )
    else:
        _fill_macs(connection)


def unguard_deletes(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        _execute(schema_editor, "DROP TRIGGER IF EXISTS audit_auditentry_no_delete")


def reinstall_update_trigger(apps, schema_editor):
    """When going back: removing the column may rebuild the SQLite table, and its trigger."""
    if schema_editor.connection.vendor == "sqlite":
        _execute(
            schema_editor, "DROP TRIGGER IF EXISTS audit_auditentry_no_update", SQLITE_NO_UPDATE
        )


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, reinstall_update_trigger),
        migrations.AddField(
            model_name="auditentry",
            name="mac",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="MAC"),
        ),
        migrations.RunPython(key_entries_and_guard_deletes, unguard_deletes),
    ]
