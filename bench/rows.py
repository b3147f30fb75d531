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


def artisans(
    count: int,
    *,
    commune,
    activity,
    first_serial: int,
    now,
    today,
    start: int = 0,
    registered: bool = True,
) -> int:
    """`count` registered artisans (a person and an active registration each), numbered
    from `first_serial`; returns the id of the first person. Call inside a transaction.
    `start` offsets their CNIE and phone numbers; `registered=False` writes the persons only
    (applicants)."""
    from datetime import date, timedelta

    from django.conf import settings

    from hirfa.register.models import Person, Registration
    from hirfa.register.numbers import make_number

    first_person = (Person.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
    insert(
        Person,
        (
            {
                "cnie": f"BX{i:07d}",
                "first_name_ar": "فاطمة",
                "last_name_ar": "أيت لحسن",
                "first_name_latin": "Fatima",
                "last_name_latin": "Ait Lahcen",
                "first_name_zgh": "",
                "last_name_zgh": "",
                "sex": "F",
                "birth_date": date(1980, 1, 1) + timedelta(days=i % 9000),
                "birth_place": "Tiznit",
                "nationality": "MA",
                "address": "Derb Idzikri",
                "commune_id": commune.id,
                "phone": f"+2126{i:08d}",
                "email": "",
                "education": "primary",
                "photo": "",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(start, start + count)
        ),
    )
    if not registered:
        return first_person
    insert(
        Registration,
        (
            {
                "number": make_number(first_serial + i),
                "category": "artisan_experience",
                "person_id": first_person + i,
                "principal_activity_id": activity.id,
                "workplace_kind": "workshop",
                "workplace_commune_id": commune.id,
                "workplace_address": "Atelier",
                "province_id": commune.province_id,
                "status": "active",
                "status_reason": "",
                "registered_on": today,
                "valid_until": today + timedelta(days=settings.REGISTRATION_VALIDITY_DAYS),
                "created_at": now,
                "updated_at": now,
            }
            for i in range(count)
        ),
    )
    return first_person
