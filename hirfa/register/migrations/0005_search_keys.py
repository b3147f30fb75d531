"""Phonetic name keys and their index, kept by the database in every transaction.

SQLite: an FTS5 table per registrant table, fed by triggers. PostgreSQL: a GIN
full-text index on the keys and a trigram index (pg_trgm). See docs/search.md and
ADR 0020.
"""

from django.db import migrations, models

from hirfa.core.names import name_keys

TABLES = ("register_person", "register_legalentity")


def _sqlite(table: str) -> tuple[list[str], list[str]]:
    fts = f"{table}_fts"
    create = [
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_keys, content='{table}', "
        "content_rowid='id', tokenize='unicode61', prefix='2 3')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_keys) VALUES (new.id, new.search_keys); END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_keys) "
        "VALUES ('delete', old.id, old.search_keys); END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF search_keys ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_keys) "
        "VALUES ('delete', old.id, old.search_keys); "
        f"INSERT INTO {fts}(rowid, search_keys) VALUES (new.id, new.search_keys); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]
    drop = [f"DROP TABLE IF EXISTS {fts}"] + [
        f"DROP TRIGGER IF EXISTS {fts}_{event}" for event in ("insert", "delete", "update")
    ]
    return create, drop


def _postgresql(table: str) -> tuple[list[str], list[str]]:
    create = [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX {table}_keys_fts ON {table} USING gin (to_tsvector('simple', search_keys))",
        f"CREATE INDEX {table}_keys_trgm ON {table} USING gin (search_keys gin_trgm_ops)",
    ]
    drop = [f"DROP INDEX IF EXISTS {table}_keys_fts", f"DROP INDEX IF EXISTS {table}_keys_trgm"]
    return create, drop


VENDORS = {"sqlite": _sqlite, "postgresql": _postgresql}


def fill_keys(apps, schema_editor):
    for model, fields in (
        ("Person", ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin")),
        ("LegalEntity", ("name_ar", "name_fr")),
    ):
        Model = apps.get_model("register", model)
        for row in Model.objects.only(*fields).iterator():
            row.search_keys = name_keys(*(getattr(row, field) for field in fields))
            row.save(update_fields=["search_keys"])


def _run(schema_editor, which: int) -> None:
    build = VENDORS.get(schema_editor.connection.vendor)
    if build is None:
        return
    for table in TABLES:
        for statement in build(table)[which]:
            schema_editor.execute(statement)


def create_index(apps, schema_editor):
    _run(schema_editor, 0)


def drop_index(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0004_photo_requirement"),
    ]

    operations = [
        migrations.AddField(
            model_name="legalentity",
            name="search_keys",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="person",
            name="search_keys",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
