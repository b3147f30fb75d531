"""Rows written fast for the benchmarks' registers (after `django.setup()`)."""

from django.db import connection

CHUNK = 10_000


def insert(model, rows, chunk_size: int = CHUNK) -> None:
    """INSERT rows (dicts of column values) in chunks, through one plain cursor.

    Columns a row does not give take their field's default, so that a column added to the
    model later does not break the benchmark.
    """
    table = connection.ops.quote_name(model._meta.db_table)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    sql = None
    with connection.cursor() as cursor:
        chunk = []
        for row in rows:
            if sql is None:
                defaults = {
                    f.column: f.get_db_prep_save(f.get_default(), connection)
                    for f in fields
                    if f.column not in row
                }
                columns = [f.column for f in fields]
                names = ", ".join(connection.ops.quote_name(c) for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            chunk.append([row[c] if c in row else defaults[c] for c in columns])
            if len(chunk) >= chunk_size:
                cursor.executemany(sql, chunk)
                chunk.clear()
        if chunk:
            cursor.executemany(sql, chunk)
