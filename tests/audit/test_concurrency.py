import sqlite3
import threading
from contextlib import closing, contextmanager

import pytest
from django.db import connections, transaction

from hirfa.audit import services
from hirfa.audit.selectors import verify_chain

THREADS = 4
ENTRIES_PER_THREAD = 25


@pytest.fixture
def file_database(tmp_path):
    """Settings of the database the writers share on SQLite; None on PostgreSQL.

    SQLite's test database lives in memory in shared-cache mode, where a writer that
    finds the table locked fails at once ("database table is locked") instead of
    waiting its turn as it does on the WAL file database the application runs on.
    So the writers share a file copy of the test database, opened with the
    application's settings (WAL, IMMEDIATE transactions, busy timeout).
    """
    default = connections["default"]
    if default.vendor != "sqlite":
        return None
    default.ensure_connection()
    path = tmp_path / "audit.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        default.connection.backup(copy)
    return {**default.settings_dict, "NAME": str(path)}


@contextmanager
def default_database(settings_dict):
    """In the current thread only, point the default alias at another database."""
    if settings_dict is None:
        yield
        return
    previous = connections["default"]
    connections["default"] = type(previous)(settings_dict, "default")
    try:
        yield
    finally:
        connections["default"].close()
        connections["default"] = previous


def write_entries(writer: int, settings_dict, errors: list):
    """One writer: its own thread, hence its own database connection."""
    try:
        with default_database(settings_dict):
            for n in range(ENTRIES_PER_THREAD):
                with transaction.atomic():
                    services.record(
                        actor=None,
                        actor_label=f"system:writer-{writer}",
                        action="test.concurrent_write",
                        object_type="test.counter",
                        object_id=f"{writer}-{n}",
                    )
    except Exception as error:  # reported by the test, not lost in the thread
        errors.append(error)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_leave_one_unbroken_chain(file_database):
    errors = []
    threads = [
        threading.Thread(target=write_entries, args=(writer, file_database, errors))
        for writer in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with default_database(file_database):
        assert verify_chain() == (True, THREADS * ENTRIES_PER_THREAD, None, "")
