"""The database in a backup: each vendor's own consistent-snapshot tool (ADR 35).

- SQLite: the online backup API (`sqlite3.Connection.backup`) copies every page of the
  live database under one read transaction; the copy is a plain database file.
- PostgreSQL: `pg_dump --format=custom` inside a snapshot exported by the transaction
  that also counts the rows, so the manifest's counts describe exactly what was dumped.
  Restored through `psql --single-transaction`: the database's tables are dropped and
  the dump replayed in one transaction, so a failed restore leaves the database as it was.

Row counts and migration state are read from the snapshot, for every table of every
installed model (domain-agnostic: `apps.get_models()`).
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

SUPPORTED_VENDORS = ("sqlite", "postgresql")
MEMBER_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A backup or a restore refused or failed; the message says why, for an operator."""


@dataclass
class Snapshot:
    path: Path
    vendor: str
    tool: str
    server_version: str
    rows: dict[str, int] = field(default_factory=dict)
    migrations: dict[str, list[str]] = field(default_factory=dict)


def model_tables() -> list[str]:
    """Every table of every installed model (many-to-many tables too), once, sorted."""
    names = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    return sorted(names)


def vendor() -> str:
    if connection.vendor not in SUPPORTED_VENDORS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def snapshot(target: Path) -> Snapshot:
    """A consistent copy of the whole database written to `target`."""
    check_outside_transaction()
    if vendor() == "sqlite":
        return _sqlite_snapshot(target)
    return _postgresql_snapshot(target)


def restore(source: Path, *, tool_version: str) -> None:
    """Replace the whole current database by the snapshot in `source`."""
    check_outside_transaction()
    connection.close()  # holds no lock, and re-reads everything afterwards
    if vendor() == "sqlite":
        _sqlite_restore(source)
    else:
        _postgresql_restore(source, tool_version=tool_version)
    connection.close()
    ContentType.objects.clear_cache()


def check_outside_transaction() -> None:
    # Inside one, the snapshot would see its uncommitted writes, and a restore would wait
    # for its locks forever.
    if connection.in_atomic_block:
        raise BackupError("Backups and restores cannot run inside a database transaction.")


def current_rows(tables) -> dict[str, int]:
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        return {table: _count(cursor, table) for table in tables if table in existing}


def holds_data() -> bool:
    """Whether someone has used this database: an account, or an audit entry, exists."""
    existing = set(connection.introspection.table_names())
    for label in (settings.AUTH_USER_MODEL, "audit.AuditEntry"):
        model = apps.get_model(label)
        if model._meta.db_table in existing and model._base_manager.exists():
            return True
    return False


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
    return cursor.fetchone()[0]


def _migrations_from(rows) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


# --- SQLite -------------------------------------------------------------------------------


def _sqlite_path() -> str:
    return str(connection.settings_dict["NAME"])


def _sqlite_snapshot(target: Path) -> Snapshot:
    source = sqlite3.connect(_sqlite_path(), timeout=20)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        existing = {
            name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        rows = {
            table: copy.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            for table in model_tables()
            if table in existing
        }
        migrations = {}
        if "django_migrations" in existing:
            migrations = _migrations_from(copy.execute("SELECT app, name FROM django_migrations"))
    finally:
        copy.close()
        source.close()
    return Snapshot(
        path=target,
        vendor="sqlite",
        tool=f"sqlite3 online backup API (SQLite {sqlite3.sqlite_version})",
        server_version=sqlite3.sqlite_version,
        rows=rows,
        migrations=migrations,
    )


def _sqlite_restore(source: Path) -> None:
    snapshot_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    live = sqlite3.connect(_sqlite_path(), timeout=20)
    try:
        snapshot_db.backup(live)
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite database could not be restored: {error}") from error
    finally:
        live.close()
        snapshot_db.close()


# --- PostgreSQL ---------------------------------------------------------------------------

DROP_TABLES = """
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.tablename);
  END LOOP;
END $$;
"""
# The dump as an SQL script (dropping what it creates, owned by whoever restores it)…
RESTORE_SCRIPT = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
RESTORE_SCRIPT += ["--file=-"]
# …replayed after dropping every table, all in one transaction.
LOCK_TIMEOUT_MS = 30_000
REPLAY = ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "-v", "ON_ERROR_STOP=1"]


def _postgresql_snapshot(target: Path) -> Snapshot:
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    tool = _client_version("pg_dump")
    if _major(tool) < server_major:
        raise BackupError(
            f"{tool} cannot dump a PostgreSQL {server_major} server: install "
            f"postgresql-client-{server_major} (or newer)."
        )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
        snapshot_id, server_version = cursor.fetchone()
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--compress=0",  # the archive is compressed as a whole
                f"--snapshot={snapshot_id}",
                f"--file={target}",
                f"--dbname={connection.settings_dict['NAME']}",
            ]
        )
        rows = {table: _count(cursor, table) for table in _existing_in(cursor, model_tables())}
        migrations = {}
        if "django_migrations" in _existing_in(cursor, ["django_migrations"]):
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = _migrations_from(cursor.fetchall())
    return Snapshot(
        path=target,
        vendor="postgresql",
        tool=tool,
        server_version=server_version,
        rows=rows,
        migrations=migrations,
    )


def _existing_in(cursor, tables) -> list[str]:
    existing = set(connection.introspection.table_names(cursor))
    return [table for table in tables if table in existing]


def _postgresql_restore(source: Path, *, tool_version: str) -> None:
    tool = _client_version("pg_restore")
    if _major(tool) < _major(tool_version):
        raise BackupError(
            f"The dump was written by {tool_version}; {tool} cannot read it: install "
            f"postgresql-client-{_major(tool_version)} (or newer)."
        )
    _client_version("psql")
    name = connection.settings_dict["NAME"]
    script = subprocess.Popen(
        [*RESTORE_SCRIPT, str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_pg_env(),
    )
    replay = subprocess.run(
        [*REPLAY, f"--dbname={name}", "--command", DROP_TABLES, "--file=-"],
        stdin=script.stdout,
        capture_output=True,
        # A restore waits for no one: a running hirfa holding locks makes it fail clearly.
        env=_pg_env(options=f"-c lock_timeout={LOCK_TIMEOUT_MS}"),
        check=False,
    )
    script.stdout.close()
    script_errors = script.stderr.read().decode(errors="replace")
    script.wait()
    if script.returncode != 0:
        raise BackupError(f"pg_restore failed: {script_errors.strip()}")
    if replay.returncode != 0:
        message = replay.stderr.decode(errors="replace").strip()
        raise BackupError(f"The dump could not be replayed (nothing was changed): {message}")


def _pg_env(*, options: str = "") -> dict[str, str]:
    env = dict(os.environ)
    if options:
        env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} {options}".strip()
    options = connection.settings_dict
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if options.get(key):
            env[variable] = str(options[key])
    for key, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if options.get("OPTIONS", {}).get(key):
            env[variable] = str(options["OPTIONS"][key])
    return env


def _client_version(program: str) -> str:
    try:
        answer = subprocess.run([program, "--version"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError) as error:
        raise BackupError(
            f"{program} is needed for PostgreSQL backups: install postgresql-client ({error})."
        ) from error
    return answer.stdout.decode().strip()


def _major(version_text: str) -> int:
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", version_text)
    return int(found.group(1)) if found else 0


def _run(command: list[str]) -> None:
    answer = subprocess.run(command, capture_output=True, env=_pg_env(), check=False)
    if answer.returncode != 0:
        message = answer.stderr.decode(errors="replace").strip()
        raise BackupError(f"{command[0]} failed: {message}")
