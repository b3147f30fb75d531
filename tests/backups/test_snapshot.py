"""The database member is one consistent snapshot, taken while hirfa keeps writing."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from hirfa.backups import databases, services
from tests.backups.conftest import wipe
from tests.factories import national

pytestmark = pytest.mark.django_db(transaction=True)


def write_from_another_connection():
    def write():
        national(username="written-during-the-backup")
        connection.close()

    thread = threading.Thread(target=write)
    thread.start()
    thread.join()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump runs apart")
def test_a_write_while_pg_dump_starts_is_neither_in_the_dump_nor_in_the_counts(
    small_register, settings, archive_path, monkeypatch
):
    users = get_user_model().objects.count()
    run = databases._run

    def write_then_run(command):
        write_from_another_connection()
        return run(command)

    monkeypatch.setattr(databases, "_run", write_then_run)
    manifest = services.backup(output=archive_path)
    assert get_user_model().objects.count() == users + 1  # the write was committed
    assert manifest["rows"]["accounts_user"] == users
    wipe(settings)
    report = services.restore(archive_path=archive_path)
    assert report.ok
    assert get_user_model().objects.count() == users
