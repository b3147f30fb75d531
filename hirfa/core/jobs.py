"""Background jobs: Django's task API, retried with backoff.

`@job` turns a module-level function into a task whose failures are retried
(JOB_MAX_ATTEMPTS, exponential backoff from JOB_RETRY_BASE_SECONDS). The last
failure is left FAILED in the task results, which administrators see in the
admin. Jobs must be idempotent: a retry may repeat work a failed attempt began.
"""

import functools
import logging
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
