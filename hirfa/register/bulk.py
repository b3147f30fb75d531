"""Rows written straight into the register's tables, for the bulk writers: the import of
legacy lists (hirfa.imports) and the synthetic national register (hirfa.search.generator).

Django's bulk_create spends most of a bulk load building SQL; these rows are already
validated (or generated) and converted, so they go in with COPY on PostgreSQL and
executemany on SQLite, in the column orders below.
"""

from django.apps import apps
from django.db import connection

from hirfa.core.signals import rows_written

# The columns of a person row, after its id, in the order of the cleaned fields
# (hirfa.register.services.clean_person); `commune` is stored as its id.
PERSON_FIELDS = (
    "cnie",
    "first_name_ar",
    "last_name_ar",
    "first_name_latin",
    "last_name_latin",
    "first_name_zgh",
    "last_name_zgh",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "address",
    "commune",
    "phone",
    "email",
    "education",
)
PERSON_COLUMNS = [
    "id",
    *(f"{field}_id" if field == "commune" else field for field in PERSON_FIELDS),
    "photo",
    "search_keys",
    # The province of the registration written with the person (`search_scope_token`):
    # filled here, the database's trigger finds nothing to add (ADR 0080).
    "search_scope",
    "created_at",
    "updated_at",
]
# The columns of a registration row, after its id when the writer chooses it.
REGISTRATION_COLUMNS = [
    "number",
    "category",
    "person_id",
    "principal_activity_id",
    "workplace_kind",
    "workplace_commune_id",
    "workplace_address",
    "province_id",
    "status",
    "status_reason",
    "registered_on",
    "valid_until",
    "created_at",
    "updated_at",
]


def next_ids(model, count: int) -> list[int]:
    """Ids for `count` new rows of `model`, so that rows go in with plain multi-row inserts.

    PostgreSQL hands them out from the table's sequence; SQLite transactions hold the
    database's write lock from their start (IMMEDIATE), so the next ids are free.
    """
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
        # AUTOINCREMENT never reuses the id of a deleted row: neither do we.
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT MAX(id) FROM {table}), 0), "
            f"COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def insert_rows(table: str, columns: list[str], rows: list[tuple]) -> None:
    """`rows` into `table`: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            cursor.executemany(sql, rows)
    # No post_save was sent: tell who keeps derived figures (statistics) which rows came.
    model = next((m for m in apps.get_models() if m._meta.db_table == table), None)
    ids = [row[0] for row in rows] if columns[0] == "id" else None
    rows_written.send(sender=model, where=None if ids is None else {"id__in": ids}, created=True)
