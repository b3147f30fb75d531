"""Benchmark of bulk import and duplicate clustering (make bench).

    python bench/imports.py [ROWS]

Writes a ROWS-row legacy list (CSV), imports it with `hirfa import_artisans`' service
(rows/s, peak memory), then, in the same run, inserts rows with the driver's fastest
bulk path (SQLite: sqlite3 `executemany`; PostgreSQL: psycopg `COPY`) two ways and prints
the import's ratio to each (ADR 0028):

- the rows the import wrote (persons, registrations, secondary activities, imported
  rows, reported issues) into an empty copy of the register's own tables, with their
  indexes, constraints, triggers and the application's pragmas (on PostgreSQL tables made
  `LIKE` the register's in a schema of their own, without foreign keys), in transactions of the
  import's chunk size: what the database alone costs, the reading of the target;
- the list's rows into one bare table of text columns: the floor of the machine.

Finally clusters the register for duplicates (`hirfa find_duplicates`, minutes). The
database is the one of DATABASE_URL (a fresh one: the Makefile recreates it).
"""

import csv
import os
import random
import re
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hirfa.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from hirfa.crafts.models import Activity  # noqa: E402
from hirfa.duplicates.clusters import find_clusters  # noqa: E402
from hirfa.imports import services  # noqa: E402
from hirfa.imports.columns import COLUMNS  # noqa: E402
from hirfa.search.names import FAMILY_NAMES, FEMALE_FIRST_NAMES, MALE_FIRST_NAMES  # noqa: E402
from hirfa.territory.models import Commune  # noqa: E402

FIELDS = [f for f in COLUMNS if f not in ("first_name_zgh", "last_name_zgh", "email")]


def write_list(path: Path, rows: int, seed: int = 23) -> None:
    rng = random.Random(seed)
    communes = list(Commune.objects.values_list("code", flat=True))
    activities = list(Activity.objects.filter(is_active=True).values_list("code", flat=True))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for i in range(rows):
            sex = rng.choice("MF")
            first = rng.choice(MALE_FIRST_NAMES if sex == "M" else FEMALE_FIRST_NAMES)
            family = rng.choice(FAMILY_NAMES)
            commune = rng.choice(communes)
            writer.writerow(
                [
                    f"{'BCDEFGHJKLMNPQRSTUVWXYZ'[i // 1_000_000]}{'ABCDEFGHIJ'[i // 100_000 % 10]}"
                    f"{i % 100_000 + 100_000:06d}",
                    family.ar,
                    first.ar,
                    rng.choice(family.latin),
                    rng.choice(first.latin),
                    sex,
                    f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.randint(1950, 2000)}",
                    "Tiznit",
                    f"{rng.randint(1, 200)} Derb {family.usual_latin}",
                    commune,
                    f"06{rng.randrange(10**8):08d}",
                    rng.choice(["none", "primary", "secondary"]),
                    rng.choice(["artisan_experience", "master"]),
                    rng.choice(activities),
                    rng.choice(activities),
                    "workshop",
                    commune,
                    f"Atelier {rng.randint(1, 99)}",
                    f"L-{i}",
                ]
            )


def raw_executemany(path: Path) -> float:
    """The same rows straight into a bare table of the same columns: the floor (on the
    database measured: SQLite, or PostgreSQL through psycopg)."""
    if connection.vendor == "postgresql":
        return raw_copy_postgresql(path)
    with tempfile.TemporaryDirectory() as folder:
        database = sqlite3.connect(Path(folder) / "raw.sqlite3")
        database.execute("PRAGMA journal_mode=WAL")
        database.execute("PRAGMA synchronous=NORMAL")
        columns = ", ".join(f"{f} TEXT" for f in FIELDS)
        database.execute(f"CREATE TABLE artisans (id INTEGER PRIMARY KEY, {columns})")
        marks = ", ".join("?" * len(FIELDS))
        started = time.perf_counter()
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            while batch := [row for _, row in zip(range(10_000), reader, strict=False)]:
                database.executemany(
                    f"INSERT INTO artisans ({', '.join(FIELDS)}) VALUES ({marks})", batch
                )
                database.commit()
        elapsed = time.perf_counter() - started
        database.close()
    return elapsed


def raw_postgresql():
    """A connection of its own to the database measured, as Django makes one, in autocommit."""
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    return raw


FLOOR_SCHEMA = "bench_floor"


def raw_copy_postgresql(path: Path) -> float:
    raw = raw_postgresql()
    columns = ", ".join(f"{f} TEXT" for f in FIELDS)
    copy_in = f"COPY {FLOOR_SCHEMA}.artisans ({', '.join(FIELDS)}) FROM STDIN"
    with raw.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {FLOOR_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {FLOOR_SCHEMA}")
        cursor.execute(f"CREATE TABLE {FLOOR_SCHEMA}.artisans (id serial PRIMARY KEY, {columns})")
        started = time.perf_counter()
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            while batch := [row for _, row in zip(range(10_000), reader, strict=False)]:
                with raw.transaction(), cursor.copy(copy_in) as copy:
                    for row in batch:
                        copy.write_row(row)
        elapsed = time.perf_counter() - started
        cursor.execute(f"DROP SCHEMA {FLOOR_SCHEMA} CASCADE")
    raw.close()
    return elapsed


# The tables an import writes, in the order it writes them (foreign keys).
WRITTEN_TABLES = (
    "register_person",
    "register_registration",
    "register_registration_secondary_activities",
    "imports_importedrow",
    "imports_importissue",
)


def snapshot_schema(folder: Path) -> Path | None:
    """An empty copy of the register (schema and reference data), before the import."""
    if connection.vendor != "sqlite":
        return None
    target = folder / "schema.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(target)])
    return target


def raw_into_register(copy: Path, chunk: int) -> float:
    """The rows the import wrote, again, with raw executemany into the copy's tables."""
    source = sqlite3.connect(connection.settings_dict["NAME"])
    database = sqlite3.connect(copy, isolation_level=None)
    # The same pragmas as the application (settings.DATABASES) and the same REGEXP
    # function Django gives SQLite (a CHECK constraint of the registrations uses it).
    for pragma in (
        "journal_mode=WAL",
        "synchronous=NORMAL",
        "foreign_keys=ON",
        "cache_size=-65536",
    ):
        database.execute(f"PRAGMA {pragma}")
    database.create_function(
        "REGEXP", 2, lambda pattern, text: bool(re.search(pattern, str(text))), deterministic=True
    )
    runs = source.execute("SELECT * FROM imports_importrun").fetchall()
    marks = ", ".join("?" * len(runs[0]))
    database.executemany(f"INSERT INTO imports_importrun VALUES ({marks})", runs)
    elapsed = 0.0
    for table in WRITTEN_TABLES:
        columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
        insert = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )
        rows = source.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")
        while batch := rows.fetchmany(chunk):
            started = time.perf_counter()
            database.execute("BEGIN IMMEDIATE")
            database.executemany(insert, batch)
            database.execute("COMMIT")
            elapsed += time.perf_counter() - started
    database.close()
    source.close()
    return elapsed


def raw_into_register_postgresql(chunk: int) -> float:
    """The rows the import wrote, again, with psycopg's COPY (PostgreSQL's fastest way in)
    into copies of the register's tables (`LIKE … INCLUDING ALL`: the same columns,
    defaults, checks and indexes; not the foreign keys), one transaction per chunk."""
    raw = raw_postgresql()
    elapsed = 0.0
    with raw.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {FLOOR_SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {FLOOR_SCHEMA}")
        for table in ("imports_importrun", *WRITTEN_TABLES):
            cursor.execute(
                f"CREATE TABLE {FLOOR_SCHEMA}.{table} (LIKE public.{table} INCLUDING ALL)"
            )
        cursor.execute(
            f"INSERT INTO {FLOOR_SCHEMA}.imports_importrun SELECT * FROM imports_importrun"
        )
        for table in WRITTEN_TABLES:
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            columns = [column.name for column in cursor.description]
            rows = cursor.fetchall()
            copy_in = f"COPY {FLOOR_SCHEMA}.{table} ({', '.join(columns)}) FROM STDIN"
            for start in range(0, len(rows), chunk):
                started = time.perf_counter()
                with raw.transaction(), cursor.copy(copy_in) as copy:
                    for row in rows[start : start + chunk]:
                        copy.write_row(row)
                elapsed += time.perf_counter() - started
        cursor.execute(f"DROP SCHEMA {FLOOR_SCHEMA} CASCADE")
    raw.close()
    return elapsed


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    call_command("migrate", verbosity=0)
    call_command("load_territory", verbosity=0)
    call_command("load_crafts", verbosity=0)
    vendor = connection.vendor
    driver = "sqlite3 executemany" if vendor == "sqlite" else "psycopg COPY"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "legacy.csv"
        write_list(path, rows)
        copy = snapshot_schema(Path(folder))
        started = time.perf_counter()
        run = services.import_file(path, progress=services.Progress(sys.stderr, "import"))
        elapsed = time.perf_counter() - started
        sys.stderr.write("\n")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rate = rows / elapsed
        print(
            f"[{vendor}] import of {rows:,} rows: {elapsed:.1f} s, {rate:,.0f} rows/s, "
            f"peak memory {peak:,.0f} MB ({run.imported:,} imported, {run.rejected:,} rejected)"
        )
        if copy is not None:
            same = raw_into_register(copy, services.CHUNK_SIZE)
        else:
            same = raw_into_register_postgresql(services.CHUNK_SIZE)
        print(
            f"[{vendor}] raw {driver} of the rows it wrote into the register's "
            f"tables: {same:.1f} s, {rows / same:,.0f} rows/s; "
            f"import/raw = {rate / (rows / same):.1%} (target >= 25 %)"
        )
        bare = raw_executemany(path)
    print(
        f"[{vendor}] raw {driver} of the list's rows into one bare table: "
        f"{bare:.1f} s, {rows / bare:,.0f} rows/s; import/bare = {rate / (rows / bare):.1%}"
    )
    started = time.perf_counter()
    found = find_clusters()
    minutes = (time.perf_counter() - started) / 60
    print(
        f"[{vendor}] duplicate clustering of {found['persons']:,} persons: {minutes:.1f} min "
        f"(target < 10), {found['pairs']:,} pairs in {found['clusters']:,} clusters"
    )
    # Precision and recall of the duplicate finder: bench/duplicates.py (ADR 0056).


if __name__ == "__main__":
    main()
