"""Background-job workers that die: their jobs are run again (docs/decisions/0033).

A worker (`hirfa db_worker`) registers itself with its host and process id, then writes
a heartbeat every JOB_WORKER_HEARTBEAT_SECONDS from a thread, whatever job it is
running. A job RUNNING under a worker that is gone — no row, a heartbeat older than
JOB_WORKER_LEASE_SECONDS, or, on the same host, a process id that no longer exists — is
put back READY, to be run again: jobs are idempotent (decision 5). A job whose workers
were lost JOB_MAX_ATTEMPTS times is left FAILED for administrators instead, so that a job
that kills its worker (memory) does not kill them all in turn.
"""

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hirfa.core.models import JobWorker

logger = logging.getLogger(__name__)
HOST = socket.gethostname()[:255]


class WorkerLost(Exception):
    """Recorded as the failure of a job whose workers kept dying."""


def register(worker_id: str) -> None:
    now = timezone.now()
    JobWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": HOST, "pid": os.getpid(), "started_at": now, "heartbeat_at": now},
    )


def beat(worker_id: str) -> None:
    """Say this worker is alive (registering again if it was taken for dead)."""
    if not JobWorker.objects.filter(pk=worker_id).update(heartbeat_at=timezone.now()):
        register(worker_id)


def unregister(worker_id: str) -> None:
    JobWorker.objects.filter(pk=worker_id).delete()


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _alive(worker: JobWorker, now) -> bool:
    if worker.heartbeat_at < now - timedelta(seconds=settings.JOB_WORKER_LEASE_SECONDS):
        return False
    return worker.host != HOST or process_exists(worker.pid)


def requeue_abandoned() -> int:
    """Put back the jobs of dead workers; return how many were put back or given up."""
    now = timezone.now()
    with transaction.atomic():
        workers = list(JobWorker.objects.all())
        alive = {worker.worker_id for worker in workers if _alive(worker, now)}
        dead = [worker.worker_id for worker in workers if worker.worker_id not in alive]
        orphans = [
            job
            for job in DBTaskResult.objects.select_for_update(skip_locked=True).filter(
                status=TaskResultStatus.RUNNING
            )
            if not job.worker_ids or job.worker_ids[-1] not in alive
        ]
        for job in orphans:
            _requeue_or_give_up(job, now)
        if dead:
            JobWorker.objects.filter(pk__in=dead).delete()
    return len(orphans)


def _requeue_or_give_up(job: DBTaskResult, now) -> None:
    owner = job.worker_ids[-1] if job.worker_ids else "?"
    if len(job.worker_ids) >= settings.JOB_MAX_ATTEMPTS:
        logger.error("Job %s lost its worker %d times; left failed", job.pk, len(job.worker_ids))
        job.status = TaskResultStatus.FAILED
        job.finished_at = now
        job.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
        job.traceback = (
            f"{WorkerLost.__qualname__}: the workers running this job died "
            f"{len(job.worker_ids)} times (last: {owner})"
        )
        job.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
        return
    logger.warning("Job %s was running under worker %s, which is gone; run again", job.pk, owner)
    job.status = TaskResultStatus.READY
    job.started_at = None
    job.save(update_fields=["status", "started_at"])


class Heartbeat(threading.Thread):
    """Beats for a worker, and puts back the jobs of dead ones, every heartbeat interval."""

    def __init__(self, worker_id: str):
        super().__init__(name=f"heartbeat-{worker_id[:8]}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.JOB_WORKER_HEARTBEAT_SECONDS):
                try:
                    beat(self.worker_id)
                    requeue_abandoned()
                except Exception:
                    logger.exception("Heartbeat of worker %s failed", self.worker_id)
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self.stopped.set()
