import pytest

from hirfa.notifications import backends
from hirfa.notifications.services import notify


@pytest.fixture(autouse=True)
def memory_backends(monkeypatch, settings, tmp_path):
    """Messages stay in memory, files go to a temporary var/, retries come at once."""
    monkeypatch.setenv("SMS_BACKEND", "memory")
    monkeypatch.setenv("EMAIL_NOTIFICATION_BACKEND", "memory")
    settings.VAR_DIR = tmp_path
    settings.JOB_RETRY_BASE_SECONDS = 0
    backends.outbox.clear()
    yield
    backends.outbox.clear()


@pytest.fixture
def notify_and_commit(django_capture_on_commit_callbacks):
    """Call `notify` as a committed change would: its on-commit hooks run."""

    def call(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(**kwargs)

    return call
