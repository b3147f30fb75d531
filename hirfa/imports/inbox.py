"""An import finished (or failed): told in the inbox of whoever started it (decision 54).

The item only informs: it is done once its reader opens it.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hirfa.imports.models import ImportRun
from hirfa.notifications import inbox

FINISHED = "import.finished"
FAILED = "import.failed"

inbox.register_kind(FINISHED, _("An import you started has finished"), done_when_opened=True)
inbox.register_kind(FAILED, _("An import you started has failed"), done_when_opened=True)


def run_ended(run: ImportRun) -> None:
    if run.actor_id is None:
        return  # the system's own import: nobody to tell
    inbox.tell(
        recipients=[run.actor],
        kind=FINISHED if run.status == ImportRun.Status.DONE else FAILED,
        subject=run,
        url=reverse("imports:export"),
        reference=run.file_name,
    )
