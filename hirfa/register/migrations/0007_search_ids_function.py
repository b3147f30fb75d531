"""PostgreSQL: the ids matching a name query, from a function that never scans the table.

With a LIMIT, the planner guesses how many rows a query of many keys matches (the fuzzy
tier ORs two hundred of them), often a hundred times too many, and chooses to read the
table in order and stop at the limit: six seconds over a million artisans when few match.
A function may carry its own planner settings: inside it, the GIN index is always used
(a bitmap scan, stopped at the limit). See docs/search.md and ADR 0020.
"""

from django.db import migrations

TABLES = ("register_person", "register_legalentity")


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {table}_matching(query tsquery, most integer) "
            "RETURNS SETOF bigint LANGUAGE sql STABLE SET enable_seqscan = off AS $$ "
            f"SELECT id FROM {table} WHERE to_tsvector('simple', search_keys) @@ query "
            "LIMIT most $$"
        )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_matching(tsquery, integer)")


class Migration(migrations.Migration):
    dependencies = [
        ("register", "0006_search_scope_index"),
    ]

    operations = [migrations.RunPython(_create, _drop)]
