"""Issue 11, finding 4: 25 wrong passwords sent at once were all checked (limit 5).

The attempt is counted before the password is checked, in one statement that commits at
once, so that at most LOGIN_MAX_FAILURES attempts reach the password check, whatever
their timing. Threads, each with its own connection (SQLite: a file copy of the test
database, as in tests/audit/test_concurrency.py)."""

import threading
import time

import pytest
from django.contrib.auth import forms as auth_forms
from django.db import connections
from django.test import RequestFactory

from hirfa.accounts.forms import ThrottledLoginForm
from tests.audit.test_concurrency import default_database
from tests.factories import officer_of

ATTEMPTS = 25


@pytest.fixture
def shared_database(tmp_path):
    """On SQLite, a file copy of the test database with the application's settings (WAL,
    busy timeout), which threads share; None on PostgreSQL."""
    import sqlite3
    from contextlib import closing

    default = connections["default"]
    if default.vendor != "sqlite":
        return None
    default.ensure_connection()
    path = tmp_path / "login.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        default.connection.backup(copy)
    return {**default.settings_dict, "NAME": str(path)}


@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_passwords_are_not_all_checked(
    reference_data,
    shared_database,
    settings,
    monkeypatch,
):
    settings.LOGIN_MAX_FAILURES = 5
    with default_database(shared_database):
        officer_of("09.581", username="k.oubella")
    checked, errors = [], []
    lock = threading.Lock()
    real = auth_forms.authenticate

    def slow_authenticate(*args, **kwargs):
        with lock:
            checked.append(1)
        time.sleep(0.2)  # a password hash takes time: the window the race needs
        return real(*args, **kwargs)

    monkeypatch.setattr(auth_forms, "authenticate", slow_authenticate)
    start = threading.Barrier(ATTEMPTS)

    def attempt():
        try:
            with default_database(shared_database):
                request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="203.0.113.7")
                form = ThrottledLoginForm(
                    request, data={"username": "k.oubella", "password": "wrong"}
                )
                start.wait()
                assert not form.is_valid()
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(checked) <= 5
