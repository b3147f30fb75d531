"""Rows written fast for the benchmarks' registers (after `django.setup()`)."""

import json
import os

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


def insert_select(model, columns: dict, source: str, params=()) -> int:
    """INSERT INTO `model`'s table SELECT … `source` (FROM … WHERE …, with `params`), one
    statement run by the database. `columns` maps a column to its SQL expression, or to
    (expression, its parameters…); the others take their field's default. Returns the rows
    written."""
    table = connection.ops.quote_name(model._meta.db_table)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names, values, arguments = [], [], []
    for f in fields:
        names.append(connection.ops.quote_name(f.column))
        given = columns.get(f.column)
        if isinstance(given, tuple):
            values.append(given[0])
            arguments.extend(given[1:])
        elif given is not None:
            values.append(given)
        else:
            values.append("%s")
            default = f.get_default()
            if f.get_internal_type() == "JSONField":
                arguments.append(json.dumps(default))
            else:
                arguments.append(f.get_db_prep_save(default, connection))
    sql = f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)} {source}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*arguments, *params])
        return cursor.rowcount


def _copy_rows(model, expressions: dict[str, str], where: str, params: list) -> int:
    """INSERT INTO model SELECT its own rows (alias t) WHERE `where`, with `expressions`
    replacing some columns (the id included)."""
    table = connection.ops.quote_name(model._meta.db_table)
    columns = [f.column for f in model._meta.concrete_fields]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    values = ", ".join(expressions.get(c, f"t.{connection.ops.quote_name(c)}") for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {values} FROM {table} t {where}", params
        )
        return cursor.rowcount


def replicate(total: int) -> int:
    """Bring the register to `total` artisans by copying those already there, in SQL (new
    ids, identity card and registration numbers; the same names, places and crafts): a
    3-million register in minutes where the generator takes an hour on a loaded machine.
    Returns how many were copied."""
    from django.db import transaction

    from hirfa.register.models import Person, Registration

    copied = 0
    while (present := Person.objects.count()) < total:
        count = min(present, total - present)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT MAX(id) FROM register_person")
            people = cursor.fetchone()[0]
            cursor.execute("SELECT MAX(id) FROM register_registration")
            registrations = cursor.fetchone()[0]
            cursor.execute(
                "SELECT id FROM register_person ORDER BY id LIMIT 1 OFFSET %s", [count - 1]
            )
            last = cursor.fetchone()[0]
            _copy_rows(
                Person,
                {
                    "id": f"t.id + {people}",
                    "cnie": f"'C' || CAST(t.id + {people} AS VARCHAR(9))",
                    "user_id": "NULL",
                },
                "WHERE t.id <= %s",
                [last],
            )
            _copy_rows(
                Registration,
                {
                    "id": f"t.id + {registrations}",
                    "person_id": f"t.person_id + {people}",
                    "number": f"CAST(2000000000 + t.id + {registrations} AS VARCHAR(10))",
                },
                "WHERE t.person_id <= %s AND t.person_id IS NOT NULL",
                [last],
            )
            if connection.vendor == "postgresql":
                for table in ("register_person", "register_registration"):
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
        copied += count
    return copied


def lay_register(total: int, *, progress=print) -> None:
    """A national register of `total` artisans (the fast generator, `hirfa.search.generator`,
    for those missing), then what the campaigns and the funnel read beside it, written by
    the database from the registrations that lack it: each first application, approved
    (nine in ten with the consent to be contacted), AMO enrolments for two in five, cards for
    four in five of the live ones (one in twenty-five printed and waiting, half handed over),
    and drafts started 5 to 90 days ago for one in fifty. Reruns add only what is missing."""
    import time
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from hirfa.accounts.models import User
    from hirfa.cards.models import Card
    from hirfa.coverage.models import Enrolment
    from hirfa.register.models import Dossier, Person
    from hirfa.search.generator import generate

    started = time.perf_counter()
    # BENCH_GENERATE_AT_MOST: the generator writes at most that many, copies the rest.
    generated = int(os.environ.get("BENCH_GENERATE_AT_MOST") or total)
    missing = min(total, generated) - Person.objects.count()
    if missing > 0:
        generate(missing)
        progress(f"  {missing} artisans generated in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    copied = replicate(total)
    if copied:
        progress(f"  {copied} artisans copied from them in {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    agent, _created = User.objects.get_or_create(
        username="bench.register", defaults={"role": "admin"}
    )
    now = timezone.now()
    today = timezone.localdate()
    craft = {
        "category": "r.category",
        "person_id": "r.person_id",
        "principal_activity_id": "r.principal_activity_id",
        "workplace_kind": "r.workplace_kind",
        "workplace_commune_id": "r.workplace_commune_id",
        "workplace_address": "r.workplace_address",
        "province_id": "r.province_id",
    }
    written = {}
    with transaction.atomic():
        written["applications"] = insert_select(
            Dossier,
            craft
            | {
                "kind": "'registration'",
                "state": "'approved'",
                "registration_id": "r.id",
                "filed_by_id": ("%s", agent.id),
                "decided_by_id": ("%s", agent.id),
                "consent_at": ("CASE WHEN r.id %% 10 < 9 THEN %s END", now),
                "submitted_at": ("%s", now),
                "decided_at": ("%s", now),
                "created_at": ("%s", now),
                "updated_at": ("%s", now),
            },
            "FROM register_registration r WHERE NOT EXISTS "
            "(SELECT 1 FROM register_dossier d WHERE d.registration_id = r.id)",
        )
        for step in range(6):
            days = 5 + step * 17
            written[f"drafts of {days} days"] = insert_select(
                Dossier,
                craft
                | {
                    "kind": "'registration'",
                    "state": "'draft'",
                    "filed_by_id": ("%s", agent.id),
                    "consent_at": ("%s", now),
                    "created_at": ("%s", now - timedelta(days=days)),
                    "updated_at": ("%s", now),
                },
                "FROM register_registration r WHERE r.id %% 300 = %s AND NOT EXISTS "
                "(SELECT 1 FROM register_dossier d WHERE d.person_id = r.person_id "
                "AND d.state = 'draft')",
                [step * 50 + 1],
            )
        written["enrolments"] = insert_select(
            Enrolment,
            {
                "registration_id": "r.id",
                "state": "CASE r.id %% 4 WHEN 0 THEN 'rights_open' WHEN 1 THEN 'immatriculated' "
                "WHEN 2 THEN 'sent' ELSE 'not_enrolled' END",
                "state_since": ("%s", today),
                "cnss_number": "CASE WHEN r.id %% 4 < 2 THEN CAST(100000000 + r.id AS VARCHAR(12)) "
                "ELSE '' END",
                "immatriculated_on": ("CASE WHEN r.id %% 4 < 2 THEN %s END", today),
                "rights_open_on": ("CASE WHEN r.id %% 4 = 0 THEN %s END", today),
                "created_at": ("%s", now),
                "updated_at": ("%s", now),
            },
            "FROM register_registration r WHERE r.id %% 5 < 2 AND NOT EXISTS "
            "(SELECT 1 FROM coverage_enrolment e WHERE e.registration_id = r.id)",
        )
        written["cards"] = insert_select(
            Card,
            {
                "registration_id": "r.id",
                "version": "1",
                "status": "'current'",
                "issue_reason": "'approved'",
                "issued_at": ("%s", now),
                "expires_at": ("%s", now + timedelta(days=1800)),
                "kid": "'bench'",
                "qr_text": "'-'",
                "print_state": "CASE WHEN r.id %% 25 = 3 THEN 'printed' WHEN r.id %% 2 = 0 "
                "THEN 'handed_over' ELSE 'to_print' END",
                "handed_over_at": ("CASE WHEN r.id %% 25 <> 3 AND r.id %% 2 = 0 THEN %s END", now),
                "province_id": "r.province_id",
            },
            "FROM register_registration r WHERE r.status = 'active' AND r.id %% 5 < 4 "
            "AND NOT EXISTS (SELECT 1 FROM cards_card c WHERE c.registration_id = r.id)",
        )
    if any(written.values()) or copied or missing > 0:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("ANALYZE")
    progress(
        "  beside them: "
        + ", ".join(f"{count} {name}" for name, count in written.items())
        + f", in {time.perf_counter() - started:.0f} s"
    )


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
