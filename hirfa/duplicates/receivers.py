"""The duplicates app's answers to the register's changes (`hirfa.register.signals`)."""

from hirfa.duplicates import services
from hirfa.register import signals


def _submitting(sender, *, dossier, actor=None, **kwargs):
    # Refuses a CNIE already registered; flags likely duplicates to the reviewer.
    services.check_submission(dossier, actor=actor)


def connect() -> None:
    signals.dossier_submitting.connect(_submitting, dispatch_uid="duplicates.submitting")
