"""The provinces of a registrant in its name index, kept by the database (ADR 0080).

`search_scope` holds one token per province where the registrant has a registration or a
file (`p<province id>`: digits never occur in a name key, so a token never matches a
name). It is indexed beside the names, so that an officer's search reads only their
province's matches: `mhmd AND l AND p42` is one lookup in the index, whatever the size of
the register, instead of every Mohamed of the country intersected with the province.

Kept by triggers on registrations and files, on every path that writes a province or a
registrant (services, the bulk writer, imports, merges, transfers, raw SQL): an insert
adds its province when missing (the bulk writers fill the token themselves, so that the
trigger finds nothing to do), an update of the province or the registrant and a delete
recompute the tokens of the registrants concerned.

- SQLite: the FTS5 tables get a second column (rebuilt); row triggers.
- PostgreSQL: the GIN index covers `search_keys || ' ' || search_scope` (rebuilt, and the
  `<table>_matching` functions with it); a statement trigger for inserts (one statement
  for a COPY of thousands of rows), row triggers for updates and deletes.
"""

from django.db import migrations, models

REGISTRANTS = (("register_person", "person_id"), ("register_legalentity", "entity_id"))
RECORDS = ("register_registration", "register_dossier")
FTS_EVENTS = ("insert", "delete", "update")


def _scope_sql(table: str, column: str, vendor: str) -> str:
    """The tokens of the row of `table` being updated, from its records."""
    union = " UNION ".join(
        f"SELECT 'p' || province_id AS token FROM {record} WHERE {column} = {table}.id"
        for record in RECORDS
    )
    if vendor == "sqlite":
        return f"coalesce((SELECT group_concat(token, ' ') FROM ({union} ORDER BY 1)), '')"
    return f"coalesce((SELECT string_agg(token, ' ' ORDER BY token) FROM ({union}) AS t), '')"


def _fts(table: str, columns: str) -> list[str]:
    fts = f"{table}_fts"
    values = ", ".join(f"new.{c}" for c in columns.split(", "))
    olds = ", ".join(f"old.{c}" for c in columns.split(", "))
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns.split(", "))
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({columns}, content='{table}', "
        "content_rowid='id', tokenize='unicode61', prefix='2 3')",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {columns}) VALUES (new.id, {values}); END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.id, {olds}); END",
        # Only when the indexed text changed: a save of other fields leaves the index be.
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF {columns} ON {table} WHEN {changed} "
        f"BEGIN INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.id, {olds}); "
        f"INSERT INTO {fts}(rowid, {columns}) VALUES (new.id, {values}); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def _drop_fts(table: str) -> list[str]:
    fts = f"{table}_fts"
    return [f"DROP TRIGGER IF EXISTS {fts}_{event}" for event in FTS_EVENTS] + [
        f"DROP TABLE IF EXISTS {fts}"
    ]


def _sqlite_triggers() -> list[str]:
    statements = []
    for record in RECORDS:

        def update(where: str) -> str:
            return " ".join(
                f"UPDATE {table} SET search_scope = {_scope_sql(table, column, 'sqlite')} "
                f"WHERE {where.format(column=column)};"
                for table, column in REGISTRANTS
            )

        missing = (
            "id = new.{column} AND "
            "instr(' ' || search_scope || ' ', ' p' || new.province_id || ' ') = 0"
        )
        moved = " OR ".join(
            f"old.{c} IS NOT new.{c}" for c in ("province_id", "person_id", "entity_id")
        )
        statements += [
            f"CREATE TRIGGER {record}_scope_insert AFTER INSERT ON {record} "
            f"BEGIN {update(missing)} END",
            f"CREATE TRIGGER {record}_scope_update "
            f"AFTER UPDATE OF province_id, person_id, entity_id ON {record} WHEN {moved} "
            f"BEGIN {update('id IN (old.{column}, new.{column})')} END",
            f"CREATE TRIGGER {record}_scope_delete AFTER DELETE ON {record} "
            f"BEGIN {update('id = old.{column}')} END",
        ]
    return statements


def _sqlite_forward() -> list[str]:
    statements = []
    for table, column in REGISTRANTS:
        statements += _drop_fts(table)
        statements += [
            f"ALTER TABLE {table} ADD COLUMN search_scope text NOT NULL DEFAULT ''",
            f"UPDATE {table} SET search_scope = {_scope_sql(table, column, 'sqlite')} "
            f"WHERE id IN (SELECT {column} FROM register_registration "
            f"UNION SELECT {column} FROM register_dossier)",
        ]
        statements += _fts(table, "search_keys, search_scope")
    return statements + _sqlite_triggers()


def _sqlite_backward() -> list[str]:
    statements = [
        f"DROP TRIGGER IF EXISTS {record}_scope_{event}"
        for record in RECORDS
        for event in FTS_EVENTS
    ]
    for table, _column in REGISTRANTS:
        statements += _drop_fts(table)
        statements.append(f"ALTER TABLE {table} DROP COLUMN search_scope")
        statements += _fts(table, "search_keys")
    return statements


def _matching(table: str, indexed: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {table}_matching(query tsquery, most integer) "
        "RETURNS SETOF bigint LANGUAGE sql STABLE SET enable_seqscan = off AS $$ "
        f"SELECT id FROM {table} WHERE to_tsvector('simple', {indexed}) @@ query "
        "LIMIT most $$"
    )


INDEXED = "search_keys || ' ' || search_scope"


def _postgresql_forward() -> list[str]:
    statements = []
    for table, column in REGISTRANTS:
        union = " UNION ".join(
            f"SELECT {column} AS owner, 'p' || province_id AS token FROM {record} "
            f"WHERE {column} IS NOT NULL"
            for record in RECORDS
        )
        statements += [
            f"DROP INDEX IF EXISTS {table}_keys_fts",
            f"ALTER TABLE {table} ADD COLUMN search_scope text NOT NULL DEFAULT ''",
            f"UPDATE {table} SET search_scope = s.scope FROM (SELECT owner, "
            f"string_agg(token, ' ' ORDER BY token) AS scope FROM ({union}) AS t "
            f"GROUP BY owner) AS s WHERE {table}.id = s.owner",
            f"CREATE INDEX {table}_keys_fts ON {table} USING gin "
            f"(to_tsvector('simple', {INDEXED}))",
            _matching(table, INDEXED),
        ]
    updates = " ".join(
        f"UPDATE {table} SET search_scope = {_scope_sql(table, column, 'postgresql')} "
        f"WHERE id = ANY({column}s) AND search_scope <> "
        f"{_scope_sql(table, column, 'postgresql')};"
        for table, column in REGISTRANTS
    )
    statements.append(
        "CREATE OR REPLACE FUNCTION register_keep_search_scope("
        "person_ids bigint[], entity_ids bigint[]) RETURNS void LANGUAGE sql AS $$ "
        f"{updates} $$"
    )
    # Inserts, one statement however many rows: only the registrants whose province is
    # not yet among their tokens (none, when the bulk writer filled them).
    missing = " ".join(
        f"ARRAY(SELECT DISTINCT c.{column} FROM changed AS c JOIN {table} AS r "
        f"ON r.id = c.{column} WHERE position(' p' || c.province_id || ' ' IN "
        f"' ' || r.search_scope || ' ') = 0)"
        + (", " if column == "person_id" else "")
        for table, column in REGISTRANTS
    )
    statements += [
        "CREATE OR REPLACE FUNCTION register_search_scope_inserted() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN PERFORM register_keep_search_scope({missing}); "
        "RETURN NULL; END $$",
        "CREATE OR REPLACE FUNCTION register_search_scope_changed() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN IF TG_OP = 'DELETE' THEN "
        "PERFORM register_keep_search_scope(ARRAY[old.person_id], ARRAY[old.entity_id]); "
        "ELSE PERFORM register_keep_search_scope(ARRAY[old.person_id, new.person_id], "
        "ARRAY[old.entity_id, new.entity_id]); END IF; RETURN NULL; END $$",
    ]
    for record in RECORDS:
        statements += [
            f"CREATE TRIGGER {record}_scope_insert AFTER INSERT ON {record} "
            "REFERENCING NEW TABLE AS changed FOR EACH STATEMENT "
            "EXECUTE FUNCTION register_search_scope_inserted()",
            f"CREATE TRIGGER {record}_scope_update "
            f"AFTER UPDATE OF province_id, person_id, entity_id ON {record} FOR EACH ROW "
            "WHEN (old.province_id IS DISTINCT FROM new.province_id "
            "OR old.person_id IS DISTINCT FROM new.person_id "
            "OR old.entity_id IS DISTINCT FROM new.entity_id) "
            "EXECUTE FUNCTION register_search_scope_changed()",
            f"CREATE TRIGGER {record}_scope_delete AFTER DELETE ON {record} FOR EACH ROW "
            "EXECUTE FUNCTION register_search_scope_changed()",
        ]
    return statements


def _postgresql_backward() -> list[str]:
    statements = [
        f"DROP TRIGGER IF EXISTS {record}_scope_{event} ON {record}"
        for record in RECORDS
        for event in FTS_EVENTS
    ]
    statements += [
        "DROP FUNCTION IF EXISTS register_search_scope_inserted()",
        "DROP FUNCTION IF EXISTS register_search_scope_changed()",
        "DROP FUNCTION IF EXISTS register_keep_search_scope(bigint[], bigint[])",
    ]
    for table, _column in REGISTRANTS:
        statements += [
            f"DROP INDEX IF EXISTS {table}_keys_fts",
            f"ALTER TABLE {table} DROP COLUMN search_scope",
            f"CREATE INDEX {table}_keys_fts ON {table} USING gin "
            "(to_tsvector('simple', search_keys))",
            _matching(table, "search_keys"),
        ]
    return statements


VENDORS = {
    "sqlite": (_sqlite_forward, _sqlite_backward),
    "postgresql": (_postgresql_forward, _postgresql_backward),
}


def _run(schema_editor, which: int) -> None:
    build = VENDORS.get(schema_editor.connection.vendor)
    if build is None:
        return
    for statement in build[which]():
        schema_editor.execute(statement, params=None)


def forward(apps, schema_editor):
    _run(schema_editor, 0)


def backward(apps, schema_editor):
    _run(schema_editor, 1)


def _field():
    return models.TextField(blank=True, default="", editable=False)


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0011_search_scope_number_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField("person", "search_scope", _field()),
                migrations.AddField("legalentity", "search_scope", _field()),
            ],
            database_operations=[migrations.RunPython(forward, backward)],
        ),
    ]
