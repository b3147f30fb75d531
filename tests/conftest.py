import os
import shutil

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, settings

from hirfa.crafts.services import load_nomenclature
from hirfa.territory.services import load_territory
from tests.factories import agent_of, officer_of
from tests.helpers import signal_handlers_kept

# Property tests judge behaviour, never speed: on a loaded 2-core machine (CI, parallel work)
# Hypothesis's time limits fail them at random.
settings.register_profile("hirfa", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("hirfa")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the real territory and crafts: tests speak of Tiznit."""
    with django_db_blocker.unblock():
        load_territory()
        load_nomenclature()


@pytest.fixture
def reference_data():
    """For transactional tests, which start after another one may have flushed the database:
    the territory, the crafts and the register's seeded rows, committed."""
    import importlib

    from django.apps import apps

    load_territory()
    load_nomenclature()
    importlib.import_module("hirfa.register.migrations.0002_seed_counter_and_documents").seed(
        apps, None
    )
    importlib.import_module(
        "hirfa.register.migrations.0009_document_names_in_tifinagh"
    ).name_in_tifinagh(apps, None)


@pytest.fixture
def agent():
    """An agent of the Souss-Massa chamber of crafts (region 09)."""
    return agent_of("09", username="agent")


@pytest.fixture
def officer():
    """An officer of the Tiznit directorate (province 09.581)."""
    return officer_of("09.581", username="officer")


@pytest.fixture(autouse=True)
def isolated_files_and_messages(monkeypatch, settings, tmp_path):
    """Uploads, outboxes and generated files go to a temporary directory; SMS and
    e-mail stay in memory, where tests can read them."""
    from hirfa.notifications import backends

    monkeypatch.setenv("SMS_BACKEND", "memory")
    monkeypatch.setenv("EMAIL_NOTIFICATION_BACKEND", "memory")
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOB_RETRY_BASE_SECONDS = 0
    backends.outbox.clear()


@pytest.fixture(autouse=True)
def process_memos_forgotten():
    """Values the public pages keep per process (ADR 0058) are forgotten around each test:
    a test's database is rolled back without any signal."""
    from hirfa.core.memo import forget_all

    forget_all()
    yield
    forget_all()


@pytest.fixture(autouse=True)
def card_batch_window_open():
    """Approvals ask for the first-card batch at most once a window per process: each test
    starts with the window open, whatever an earlier test's approvals did."""
    from hirfa.cards import services

    services.FIRST_CARDS.reopen()


@pytest.fixture(autouse=True)
def notifications_delivered_one_job_each(settings):
    """Notifications are delivered one job each, at once (run_jobs does not wait for a
    batch window); the batch's own tests set a window."""
    from hirfa.notifications import services

    settings.NOTIFICATION_BATCH_SECONDS = 0
    services.BATCHES.reopen()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests about hashing itself set it back.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def no_second_factor_required(settings):
    # Tests log in national staff with `force_login`; the second factor has its own tests
    # (tests/accounts/test_second_factor.py), which set the roles that require it.
    settings.SECOND_FACTOR_REQUIRED_ROLES = []


@pytest.fixture(autouse=True)
def no_api_request_budget(settings):
    # Counting each API request costs queries that the query-count tests do not expect;
    # the budget has its own tests (tests/security/test_api_budget.py), and the API fuzzing
    # runs with it on.
    settings.API_REQUESTS_PER_MINUTE = 0


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
        # The worker installs its own SIGTERM, SIGINT and SIGQUIT handlers: put the test
        # run's back, or a SIGTERM to the run would fail the running test with SystemExit.
        with signal_handlers_kept():
            call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run


@pytest.fixture(autouse=True)
def signal_handlers_restored():
    """Whatever a test installed as SIGTERM, SIGINT or SIGQUIT handler (a worker run
    in-process without `run_jobs`, say) is put back after it."""
    with signal_handlers_kept():
        yield


# --- Browser tests (Debian's Chromium through Playwright; never a browser download) ---

# Playwright's sync API keeps an event loop in the test thread; the ORM calls the
# tests make there are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def register(live_server, reference_data):
    """A live server whose database holds the reference data (flushed after each test)."""
    return live_server


@pytest.fixture
def phone(browser):
    """A phone-sized page (360 px wide), as most artisans see hirfa."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desk(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    yield page
    context.close()
