"""`hirfa db_worker`: django-tasks-db's worker, with a heartbeat so that the jobs of a
worker that dies are run again (hirfa/core/workers.py, docs/decisions/0033)."""

import os

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from hirfa.core import workers


class Worker(db_worker.Worker):
    def run(self) -> None:
        workers.register(self.worker_id)
        heartbeat = workers.Heartbeat(self.worker_id)
        heartbeat.start()
        try:
            workers.requeue_abandoned()
            super().run()
        finally:
            heartbeat.stop()
            workers.unregister(self.worker_id)


class Command(db_worker.Command):
    help = "Run the background-job worker (jobs of dead workers are run again)"

    def handle(self, *, verbosity, queue_name, exclude_queues, batch, reload, **options):
        # As django-tasks-db's command, building our Worker instead of its own.
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
