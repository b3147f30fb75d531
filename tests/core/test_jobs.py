import signal

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hirfa.core.jobs import job
from tests.helpers import signal_handlers_kept

calls = {"count": 0}


@job
def flaky(fail_times: int) -> str:
    calls["count"] += 1
    if calls["count"] <= fail_times:
        raise RuntimeError("the mail server is down")
    return "delivered"


@pytest.fixture(autouse=True)
def reset_calls(settings):
    calls["count"] = 0
    settings.JOB_RETRY_BASE_SECONDS = 0
    settings.JOB_MAX_ATTEMPTS = 3


@pytest.mark.django_db
def test_a_failing_job_is_retried_until_it_succeeds(run_jobs):
    flaky.enqueue(fail_times=2)
    for _ in range(3):
        run_jobs()
    assert calls["count"] == 3
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.status for r in results] == [TaskResultStatus.SUCCESSFUL] * 3
    assert results.last().return_value == "delivered"


@pytest.mark.django_db
def test_a_job_that_keeps_failing_is_left_failed_for_administrators(run_jobs):
    flaky.enqueue(fail_times=99)
    for _ in range(5):
        run_jobs()
    assert calls["count"] == 3
    failed = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    assert failed.count() == 1
    assert "the mail server is down" in failed.get().traceback


@pytest.mark.django_db
def test_failed_jobs_are_listed_in_the_admin(admin_client):
    flaky.enqueue(fail_times=0)
    response = admin_client.get("/admin/django_tasks_database/dbtaskresult/")
    assert response.status_code == 200
    assert b"flaky" in response.content


@pytest.mark.django_db
def test_the_worker_run_in_process_leaves_the_sigterm_handler_as_it_was(run_jobs):
    before = signal.getsignal(signal.SIGTERM)
    flaky.enqueue(fail_times=0)
    run_jobs()
    assert calls["count"] == 1
    assert signal.getsignal(signal.SIGTERM) == before


@pytest.mark.django_db
def test_the_worker_installs_its_own_sigterm_handler_which_the_suite_puts_back(monkeypatch):
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    before = signal.getsignal(signal.SIGTERM)
    with signal_handlers_kept():
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        assert signal.getsignal(signal.SIGTERM) != before
    assert signal.getsignal(signal.SIGTERM) == before
