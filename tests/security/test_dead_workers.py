"""Issue 11, finding 9: a job whose worker was killed must not stay RUNNING forever."""

import socket
import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hirfa.core import workers
from hirfa.core.jobs import job
from hirfa.core.models import JobWorker

pytestmark = pytest.mark.django_db
done = []


@job
def deliver(tag: str) -> str:
    done.append(tag)
    return tag


@pytest.fixture(autouse=True)
def forget():
    done.clear()


def left_running_by(worker_id: str, tag: str = "letter", attempts: int = 1) -> DBTaskResult:
    result = deliver.enqueue(tag)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now(),
        worker_ids=[f"{worker_id}-{n}" for n in range(attempts - 1)] + [worker_id],
    )
    return DBTaskResult.objects.get(pk=result.id)


def a_dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def worker(worker_id: str, *, host=None, pid=None, silent_for=0):
    beat = timezone.now() - timedelta(seconds=silent_for)
    return JobWorker.objects.create(
        worker_id=worker_id,
        host=host or socket.gethostname(),
        pid=pid or a_dead_pid(),
        started_at=beat,
        heartbeat_at=beat,
    )


def test_a_job_running_under_a_worker_that_no_longer_exists_is_run_again(run_jobs):
    stuck = left_running_by("killed-worker")
    run_jobs()
    assert done == ["letter"]
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.SUCCESSFUL


def test_a_job_whose_worker_process_is_gone_from_this_host_is_run_again(run_jobs):
    worker("oom-killed")  # a fresh heartbeat, but its process is gone
    left_running_by("oom-killed")
    run_jobs()
    assert done == ["letter"]
    assert not JobWorker.objects.filter(pk="oom-killed").exists()


def test_a_job_whose_worker_on_another_host_fell_silent_is_run_again(run_jobs, settings):
    worker("far-away", host="another-host", pid=1, silent_for=settings.JOB_WORKER_LEASE_SECONDS + 1)
    left_running_by("far-away")
    run_jobs()
    assert done == ["letter"]


def test_a_job_of_a_live_worker_is_left_to_it(run_jobs, settings):
    import os

    worker("busy", host="another-host", pid=os.getpid())
    worker("busy-here", pid=os.getpid())
    left_running_by("busy")
    left_running_by("busy-here", tag="parcel")
    assert workers.requeue_abandoned() == 0
    run_jobs()
    assert done == []
    assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 2


def test_a_job_that_keeps_killing_its_workers_is_left_failed(run_jobs, settings):
    settings.JOB_MAX_ATTEMPTS = 3
    stuck = left_running_by("third-victim", attempts=3)
    run_jobs()
    assert done == []
    stuck.refresh_from_db()
    assert stuck.status == TaskResultStatus.FAILED
    assert "WorkerLost" in stuck.traceback


def test_a_worker_says_where_it_runs_while_it_runs_and_leaves_when_it_stops(run_jobs):
    seen = []
    JobWorker.objects.all().delete()

    original = workers.requeue_abandoned

    def spy():
        seen.extend(JobWorker.objects.values_list("host", "pid"))
        return original()

    import os
    from unittest import mock

    with mock.patch.object(workers, "requeue_abandoned", spy):
        run_jobs()
    assert seen == [(socket.gethostname(), os.getpid())]
    assert not JobWorker.objects.exists()
