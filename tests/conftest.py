import pytest
from django.core.management import call_command

from hirfa.territory.services import load_territory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the real territory: tests speak of Tiznit, not of fakes."""
    with django_db_blocker.unblock():
        load_territory()


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    # The manifest storage needs `collectstatic`; tests serve files from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def run_jobs(monkeypatch):
    """Run every queued background job now, as the worker would."""
    # The worker closes "old" connections between jobs; inside a test's transaction
    # that would close the test's own connection (PostgreSQL).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run
