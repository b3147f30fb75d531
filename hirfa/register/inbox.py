"""Who among the staff is told of a file to act on (the inbox, decision 54).

Connected to the register's own signals (`signals.dossier_moved`, `signals.dossier_updated`)
in `RegisterConfig.ready()`, like the apps above it connect theirs:
- a file sent for review, or sent back after changes, goes in the inbox of the officers of
  its province (not of whoever filed it: four eyes);
- a file whose reviewer asked for changes goes in the inbox of the agent who filed it;
- each leaves every inbox when the file moves on (decided, sent back, withdrawn), whoever
  moved it; it follows the file when the file's province changes.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hirfa.accounts.roles import Capability
from hirfa.accounts.selectors import staff_covering
from hirfa.notifications import inbox
from hirfa.register import signals

TO_REVIEW = "dossier.to_review"
RESUBMITTED = "dossier.resubmitted"
CHANGES_REQUESTED = "dossier.changes_requested"

inbox.register_kind(TO_REVIEW, _("A new file waits for your review"))
inbox.register_kind(RESUBMITTED, _("A file came back after the changes you asked for"))
inbox.register_kind(CHANGES_REQUESTED, _("The officer asked for changes to a file you filed"))

# Actions after which the file is no longer the reviewers' to decide.
_OUT_OF_REVIEW = {"approve", "reject", "request_changes", "withdraw"}


def _moved(sender, *, dossier, action, actor, **kwargs):
    if action in ("submit", "resubmit"):
        inbox.resolve(subject=dossier, kinds=[CHANGES_REQUESTED])
        reviewers = staff_covering(dossier.province, Capability.REVIEW)
        if dossier.filed_by_id:
            reviewers = reviewers.exclude(pk=dossier.filed_by_id)
        inbox.tell(
            recipients=reviewers,
            kind=TO_REVIEW if action == "submit" else RESUBMITTED,
            subject=dossier,
            url=reverse("register_staff:decision", args=[dossier.pk]),
            province_code=dossier.province.code,
            reference=f"#{dossier.pk}",
        )
    elif action in _OUT_OF_REVIEW:
        inbox.resolve(subject=dossier)
        if action == "request_changes" and dossier.assisted and dossier.filed_by_id:
            inbox.tell(
                recipients=[dossier.filed_by],
                kind=CHANGES_REQUESTED,
                subject=dossier,
                url=reverse("register_staff:desk_dossier", args=[dossier.pk]),
                province_code=dossier.province.code,
                reference=f"#{dossier.pk}",
            )


def _updated(sender, *, dossier, **kwargs):
    inbox.relocate(subject=dossier, province_code=dossier.province.code)


def connect() -> None:
    signals.dossier_moved.connect(_moved, dispatch_uid="register.inbox.moved")
    signals.dossier_updated.connect(_updated, dispatch_uid="register.inbox.updated")
