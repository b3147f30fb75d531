"""Background jobs: Django's task API, retried with backoff.

`@job` turns a module-level function into a task whose failures are retried
(JOB_MAX_ATTEMPTS, exponential backoff from JOB_RETRY_BASE_SECONDS). The last
failure is left FAILED in the task results, which administrators see in the
admin. Jobs must be idempotent: a retry may repeat work a failed attempt began.
"""

import functools
import logging
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def job(func):
    @functools.wraps(func)
    def attempt(*args, job_attempt: int = 1, **kwargs):
        try:
            return func(*args, **kwargs)
        except Exception:
            if job_attempt >= settings.JOB_MAX_ATTEMPTS:
                raise
            delay = settings.JOB_RETRY_BASE_SECONDS * 2 ** (job_attempt - 1)
            logger.warning(
                "Job %s failed (attempt %d); retrying in %ds",
                func.__name__,
                job_attempt,
                delay,
                exc_info=True,
            )
            retry_at = timezone.now() + timedelta(seconds=delay)
            wrapped.using(run_after=retry_at).enqueue(*args, job_attempt=job_attempt + 1, **kwargs)
            return None

    wrapped = task(attempt)
    return wrapped


class Window:
    """A batch job asked for at most once per window per process, and run at the window's
    end, so that it finds every change the window committed (one job row per change cost
    approvals a third of their speed). The window's length is the setting `setting`; with
    0, every request enqueues the job at once."""

    def __init__(self, setting: str):
        self.setting = setting
        self.next = 0.0

    def is_open(self) -> bool:
        return time.monotonic() >= self.next

    def reopen(self) -> None:
        """Forget the last request (tests start each with the window open)."""
        self.next = 0.0

    def claim(self) -> bool:
        """Close the window if it is open, and say whether it was: the caller then asks
        for the job (`enqueue`), at once or after its commit."""
        now = time.monotonic()
        if now < self.next:
            return False
        self.next = now + getattr(settings, self.setting)
        return True

    def enqueue(self, batch_job) -> None:
        """`batch_job`, to run at the end of the window."""
        window = getattr(settings, self.setting)
        if window:
            batch_job = batch_job.using(run_after=timezone.now() + timedelta(seconds=window))
        batch_job.enqueue()

    def request(self, batch_job) -> bool:
        """Enqueue `batch_job` unless this process asked within the window; says whether."""
        if not self.claim():
            return False
        self.enqueue(batch_job)
        return True
