"""An import or a prepared export finished (or failed): told in the inbox of whoever started
it (decision 54).

The item only informs: it is done once its reader opens it.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hirfa.imports.models import ExportJob, ImportRun
from hirfa.notifications import inbox

FINISHED = "import.finished"
FAILED = "import.failed"
EXPORT_READY = "export.ready"
EXPORT_FAILED = "export.failed"

inbox.register_kind(FINISHED, _("An import you started has finished"), done_when_opened=True)
inbox.register_kind(FAILED, _("An import you started has failed"), done_when_opened=True)
inbox.register_kind(EXPORT_READY, _("An export you asked for is ready"), done_when_opened=True)
inbox.register_kind(EXPORT_FAILED, _("An export you asked for has failed"), done_when_opened=True)


def run_ended(run: ImportRun) -> None:
    if run.actor_id is None:
        return  # the system's own import: nobody to tell
    inbox.tell(
        recipients=[run.actor],
        kind=FINISHED if run.status == ImportRun.Status.DONE else FAILED,
        subject=run,
        url=reverse("imports:run", args=[run.pk]),
        reference=run.file_name,
    )


def export_ended(export: ExportJob) -> None:
    inbox.tell(
        recipients=[export.actor],
        kind=EXPORT_READY if export.status == ExportJob.Status.DONE else EXPORT_FAILED,
        subject=export,
        url=reverse("imports:export_job", args=[export.pk]),
        reference=f"{export.created_at:%Y-%m-%d %H:%M}" if export.created_at else "",
    )
